import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

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


def test_seed_demo_refuses_in_production_unless_told(settings):
    settings.MEDED_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_in_production_exits_non_zero_and_creates_nobody(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "s" * 50,
        "EMAIL_URL": "smtp://mail.example.org:25",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
    }
    env.pop("MEDED_DEMO_ALLOWED", None)
    run = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert "Refusing to seed the demo society with DEBUG off" in run.stderr
