from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = "Teaching sessions"

    def ready(self) -> None:
        from sessions_app import emails  # noqa: F401  (registers email kinds and due jobs)
