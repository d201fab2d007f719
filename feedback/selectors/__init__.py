"""Feedback reads, one module per concept; nothing here writes.

filters (the committee's filters), eligibility (who may answer, until when), stats (per-question
summaries), dashboards (tutor and committee results above the threshold), reports (the survey
report and the anonymous export), review (the free-text queue), certificates, observations.
"""
