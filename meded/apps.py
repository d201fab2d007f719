from django.apps import AppConfig


class MededConfig(AppConfig):
    name = "meded"
    verbose_name = "Society"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The core's own periodic work: held mass emails go once their undo window ends."""
        from meded import privacy, signals
        from meded.notifications import mailings

        signals.periodic_task.connect(mailings.release_due, dispatch_uid="notifications.mailings")
        signals.periodic_task.connect(privacy.apply_retention, dispatch_uid="meded.retention")
        signals.apply_retention.connect(privacy.forget_old_emails, dispatch_uid="meded.emails")
