"""The support page: where to turn when things feel like too much; the committee edits it."""
