"""A tutor's teaching portfolio: sessions taught, released feedback, observations, certificates,
reflections they chose to include; a page, a PDF and a private link they can revoke."""
