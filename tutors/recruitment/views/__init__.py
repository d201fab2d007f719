"""Recruitment pages: the applicant's (recruitment), the committee's (committee, review_panel)."""
