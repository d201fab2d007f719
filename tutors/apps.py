from django.apps import AppConfig


class TutorsConfig(AppConfig):
    name = "tutors"
    verbose_name = "Tutors"

    def ready(self) -> None:
        from . import emails  # noqa: F401
