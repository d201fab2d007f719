"""Feedback pages, thin: load, call a selector or service, render."""
