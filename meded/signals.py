"""The few hooks that run up the floors (feedback -> sessions_app -> tutors -> meded core).

Imports run down the floors. Where the core must reach an app above it, it sends one of these
signals and the app connects a receiver in its AppConfig.ready(), as pretix does with its
`periodic_task` signal. Every receiver is listed in one place: `python manage.py shell -c
"from meded import signals; print(signals.periodic_task.receivers)"`.
"""

from django.dispatch import Signal

# Sent by the periodic runner (Celery beat's dispatch task, `send_due_emails`, and the
# in-process runner of `make run`). Each receiver derives from the database what is due now,
# acts through its services and returns how many things it did. Safe to overlap or repeat.
periodic_task = Signal()

# Sent while the member's home page is built, with `request`. A receiver returns a dict
# {"template": ..., **context} for its section, or None when it has nothing to show.
home_sections = Signal()

# Sent while the profile page is built, with `request`: a receiver returns the name of a
# template to include as a panel (or None).
profile_panels = Signal()

# Sent while the committee's roster is built, with `rows` (tutors.recruitment RosterRow list).
# A receiver fills `row.extra[key]` for its columns and returns their [(key, heading)].
roster_columns = Signal()

# Sent while the committee's home (/committee/) is built, with `request`. A receiver returns a
# list of meded.committee.CommitteeTask: what needs the committee now, each a count with the
# link to the page that resolves it (an empty list when nothing is waiting).
committee_tasks = Signal()

# Sent by `seed_demo` after the core's members exist, with `demo` (meded's Demo: rng, members).
# A receiver builds its app's part of the demo through its services. Receivers are connected
# in INSTALLED_APPS order (tutors, sessions_app, feedback), which is the floor order.
seed_demo = Signal()

# Sent with `user` when recruitment needs a member's teaching record (the fast track for
# returning tutors). A receiver returns a dict of plain figures it knows, e.g.
# {"sessions_taught": 5, "responses": 12, "mean_feedback": 4.3, "best_observation": 3.5};
# the dicts are merged, so each app speaks only for its own figures.
teaching_record = Signal()

# Sent with `member` inside the transaction that erases a member's account (the member's own
# deletion or the committee's). Each app erases or anonymises its personal data about the
# member, keeping what the society must keep (anonymous feedback, attendance, published
# allocations, certificates as issued) consistent. A receiver returns a list of storage file
# names to remove once the erasure commits (files are never touched under the lock).
erase_member = Signal()

# Sent by `manage.py apply_retention` and the periodic work, with `now`: each app removes what
# the privacy notice says it keeps only for a time (meded/privacy.py) and returns how many
# things it removed.
apply_retention = Signal()


def collect(signal: Signal, **kwargs) -> list:
    """Call every receiver and return their non-empty answers, in connection order.

    Errors propagate: a broken receiver is a bug to see, not to hide. (The periodic runner
    guards each receiver on its own, so one broken job never stops the others.)
    """
    return [value for _receiver, value in signal.send(sender=None, **kwargs) if value]


# Sent by tutors.allocation (inside its transaction) when tutors' topics of a published
# allocation change after publication (an approved swap, or its undo), with `changes`: a list
# of (tutor_id, from_offering_id, to_offering_id). sessions_app moves those tutors on the
# topics' draft sessions.
allocation_changed = Signal()
