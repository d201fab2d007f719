from django.apps import AppConfig

from meded import signals


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback"

    def ready(self) -> None:
        """Connect feedback to the hooks the core sends up the floors (meded.signals)."""
        from . import committee, demo, emails, home

        signals.periodic_task.connect(
            emails.send_due_feedback_requests, dispatch_uid="feedback_requests"
        )
        signals.home_sections.connect(home.section, dispatch_uid="feedback.home")
        from . import privacy

        signals.erase_member.connect(privacy.erase_member, dispatch_uid="feedback.erase")
        signals.seed_demo.connect(demo.seed, dispatch_uid="feedback.demo")
        signals.committee_tasks.connect(committee.tasks, dispatch_uid="feedback.committee")
        from .portfolio import selectors as portfolio

        signals.teaching_record.connect(portfolio.teaching_record, dispatch_uid="feedback.record")
        from .portfolio.demo import seed_portfolio

        signals.seed_demo.connect(seed_portfolio, dispatch_uid="feedback.portfolio_demo")
