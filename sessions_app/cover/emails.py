from meded.notifications import register_kind

register_kind("cover_requested", "A tutor asked the committee to find cover (committee)")
register_kind("cover_offered", "Could you cover a session? (tutors who ranked the topic)")
register_kind("cover_found", "Cover was found for your session")
