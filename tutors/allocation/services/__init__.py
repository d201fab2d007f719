"""Offerings, rankings and allocation runs: every rule of topic allocation lives here."""
