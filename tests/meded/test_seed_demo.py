import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from meded.models import Module, Topic, User
from meded.roles import is_committee, is_tutor

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_society_and_is_idempotent(capsys):
    call_command("seed_demo")
    counts = (User.objects.count(), Topic.objects.count(), Module.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Topic.objects.count(), Module.objects.count()) == counts
    assert Topic.objects.count() >= 120
    assert Module.objects.count() >= 15
    assert User.objects.filter(groups__name="Tutors").count() >= 40
    assert User.objects.count() >= 340
    out = capsys.readouterr().out
    assert "student@demo.meded.test" in out and "meded-demo-2026" in out


def test_demo_logins_work_with_their_roles(demo_society):
    student = authenticate(email="student@demo.meded.test", password="meded-demo-2026")
    tutor = authenticate(email="tutor@demo.meded.test", password="meded-demo-2026")
    chair = authenticate(email="committee@demo.meded.test", password="meded-demo-2026")
    assert student and not is_tutor(student) and not is_committee(student)
    assert tutor and is_tutor(tutor)
    assert chair and is_committee(chair)
