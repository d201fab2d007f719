"""Views for sessions: thin, each loads, calls a service or selector, and renders."""
