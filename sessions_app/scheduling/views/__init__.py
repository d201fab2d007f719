"""Pages for finding teaching (browse) and for the committee's scheduling (committee)."""
