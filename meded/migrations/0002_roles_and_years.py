"""The two role groups and the six years of the course exist in every database."""

from django.db import migrations

COMMITTEE_APPS = ["meded", "tutors", "sessions_app", "feedback"]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Year = apps.get_model("meded", "Year")
    Group.objects.get_or_create(name="Committee")
    Group.objects.get_or_create(name="Tutors")
    for n in range(1, 7):
        Year.objects.get_or_create(number=n, defaults={"name": f"Year {n}"})


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Committee", "Tutors"]).delete()


class Migration(migrations.Migration):
    dependencies = [("meded", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create, remove)]
