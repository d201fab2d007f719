from django.apps import AppConfig

from meded import signals


class TutorsConfig(AppConfig):
    name = "tutors"
    verbose_name = "Tutors"

    def ready(self) -> None:
        """Declare the email kinds and connect the hooks the core sends up (meded.signals)."""
        from tutors import committee, demo, home
        from tutors.allocation import emails as allocation_emails  # noqa: F401  (email kinds)
        from tutors.allocation import mailings as allocation_mailings  # noqa: F401  (mass emails)
        from tutors.allocation.services import ranking
        from tutors.mentoring import emails as mentoring_emails  # noqa: F401  (email kinds)
        from tutors.mentoring import mailings as mentoring_mailings  # noqa: F401  (mass emails)
        from tutors.mentoring import services as mentoring
        from tutors.recruitment import emails as recruitment_emails  # noqa: F401  (email kinds)
        from tutors.recruitment import mailings as recruitment_mailings  # noqa: F401

        signals.periodic_task.connect(
            ranking.ranking_reminders, dispatch_uid="ranking_deadline_reminder"
        )
        signals.periodic_task.connect(
            mentoring.send_due_check_ins, dispatch_uid="mentoring_check_ins"
        )
        signals.home_sections.connect(home.section, dispatch_uid="tutors.home")
        from tutors import privacy

        signals.erase_member.connect(privacy.erase_member, dispatch_uid="tutors.erase")
        signals.apply_retention.connect(privacy.apply_retention, dispatch_uid="tutors.retention")
        signals.seed_demo.connect(demo.seed, dispatch_uid="tutors.demo")
        signals.committee_tasks.connect(committee.tasks, dispatch_uid="tutors.committee")
