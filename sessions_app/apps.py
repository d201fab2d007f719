from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = "Teaching sessions"

    def ready(self) -> None:
        """Connect what the sessions app adds to the core (meded.signals); importing the
        services also registers their email kinds."""
        from meded import signals
        from sessions_app import committee, home
        from sessions_app.booking import reminders, waitlist
        from sessions_app.cover import emails as cover_emails  # noqa: F401  (email kinds)
        from sessions_app.cover import mailings as cover_mailings  # noqa: F401  (mass emails)
        from sessions_app.questions import demo as questions_demo
        from sessions_app.questions import exams as mock_exams
        from sessions_app.questions import home as questions_home
        from sessions_app.questions import mailings as questions_mailings  # noqa: F401
        from sessions_app.resources import demo as resources_demo
        from sessions_app.resources import services as resources
        from sessions_app.scheduling import (
            changes,  # noqa: F401  (mass emails: an edit that emails several people)
            mailings,  # noqa: F401  (mass emails)
            roster,
        )
        from sessions_app.scheduling import demo as scheduling_demo
        from sessions_app.scheduling import services as scheduling  # noqa: F401  (email kinds)
        from sessions_app.smallgroups import (
            busy_times,
            invitations,  # noqa: F401  (mass emails)
            programme_home,
        )
        from sessions_app.smallgroups import demo as smallgroups_demo
        from sessions_app.smallgroups import home as smallgroups_home
        from sessions_app.smallgroups import moves as smallgroups_moves  # noqa: F401  (email kind)
        from sessions_app.smallgroups import publishing as smallgroups_publishing  # noqa: F401

        periodic = signals.periodic_task
        periodic.connect(reminders.send_reminders, dispatch_uid="sessions_app.reminders")
        periodic.connect(waitlist.expire_offers, dispatch_uid="sessions_app.waitlist_expiry")
        periodic.connect(waitlist.promote_waiting, dispatch_uid="sessions_app.waitlist_promotions")
        periodic.connect(
            resources.send_slides_reminders, dispatch_uid="sessions_app.slides_reminders"
        )
        periodic.connect(mock_exams.close_overdue, dispatch_uid="sessions_app.exam_time_up")
        periodic.connect(busy_times.refresh_feeds, dispatch_uid="sessions_app.calendar_feeds")
        signals.home_sections.connect(home.section, dispatch_uid="sessions_app.home")
        from sessions_app import privacy

        signals.erase_member.connect(privacy.erase_member, dispatch_uid="sessions_app.erase")
        signals.home_sections.connect(
            questions_home.section, dispatch_uid="sessions_app.questions_home"
        )
        signals.profile_panels.connect(home.calendar_panel, dispatch_uid="sessions_app.calendar")
        signals.profile_panels.connect(
            smallgroups_home.availability_panel, dispatch_uid="sessions_app.availability"
        )
        signals.roster_columns.connect(
            roster.sessions_taught, dispatch_uid="sessions_app.sessions_taught"
        )
        signals.committee_tasks.connect(committee.tasks, dispatch_uid="sessions_app.committee")
        signals.committee_tasks.connect(
            programme_home.tasks, dispatch_uid="sessions_app.smallgroup_programmes"
        )
        signals.home_sections.connect(
            programme_home.section, dispatch_uid="sessions_app.smallgroups_home"
        )
        from sessions_app.scheduling.from_allocation import move_tutors

        signals.allocation_changed.connect(move_tutors, dispatch_uid="sessions_app.move_tutors")
        # The sessions (with their bookings) first, then the resources that hang on them.
        signals.seed_demo.connect(scheduling_demo.seed_sessions, dispatch_uid="sessions_app.demo")
        signals.seed_demo.connect(
            resources_demo.seed_resources, dispatch_uid="sessions_app.resources_demo"
        )
        signals.seed_demo.connect(
            questions_demo.seed_questions, dispatch_uid="sessions_app.questions_demo"
        )
        from sessions_app.cover.demo import seed_cover

        signals.seed_demo.connect(seed_cover, dispatch_uid="sessions_app.cover_demo")
        signals.seed_demo.connect(
            smallgroups_demo.seed_availability, dispatch_uid="sessions_app.availability_demo"
        )
        from sessions_app.smallgroups.programme_demo import seed_programme

        signals.seed_demo.connect(seed_programme, dispatch_uid="sessions_app.programme_demo")
        # after availability: tutors pick the slots that fit their week
        signals.seed_demo.connect(
            scheduling_demo.seed_teaching_slots, dispatch_uid="sessions_app.teaching_slots_demo"
        )
