"""Mentoring and buddy schemes: seniors offer, juniors ask, the allocation engine matches."""
