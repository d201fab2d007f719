from django.apps import AppConfig


class MededConfig(AppConfig):
    name = "meded"
    verbose_name = "Society"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The core's own periodic work: held mass emails go once their undo window ends."""
        from django.db.models.signals import post_migrate

        from meded import signals
        from meded.accounts.committee import sync_staff_group
        from meded.notifications import mailings

        signals.periodic_task.connect(mailings.release_due, dispatch_uid="notifications.mailings")
        # after every app (not only this one): the group's permissions span the apps above
        post_migrate.connect(sync_staff_group, dispatch_uid="accounts.committee_staff")
