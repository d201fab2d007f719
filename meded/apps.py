from django.apps import AppConfig


class MededConfig(AppConfig):
    name = "meded"
    verbose_name = "Society"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The core's own periodic work: held mass emails go once their undo window ends."""
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from meded import privacy, remember, signals
        from meded.accounts.committee import sync_staff_group
        from meded.notifications import mailings

        signals.periodic_task.connect(mailings.release_due, dispatch_uid="notifications.mailings")
        signals.periodic_task.connect(privacy.apply_retention, dispatch_uid="meded.retention")
        signals.apply_retention.connect(privacy.forget_old_emails, dispatch_uid="meded.emails")
        # after every app (not only this one): the group's permissions span the apps above
        post_migrate.connect(sync_staff_group, dispatch_uid="accounts.committee_staff")
        # Every statement of every connection is watched: writes bump their tables' versions,
        # so nothing `remember()` cached outlives a change to what it read.
        connection_created.connect(remember.install, dispatch_uid="meded.remember")
