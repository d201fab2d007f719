from django.apps import AppConfig


class MededConfig(AppConfig):
    name = "meded"
    verbose_name = "Society"
    default_auto_field = "django.db.models.BigAutoField"
