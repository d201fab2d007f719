"""Demo society for `manage.py seed_demo`: deterministic (fixed seed) and idempotent.

The core builds the curriculum and the members, then sends `meded.signals.seed_demo` with
`demo=`: each app's receiver adds its part with the same random generator, in INSTALLED_APPS
(floor) order, inside the one transaction, so a run is all or nothing and always the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify

from meded.accounts.committee import appoint
from meded.accounts.models import User, YearOfStudy
from meded.curriculum.demo import seed_curriculum
from meded.roles import TUTORS_GROUP
from meded.signals import seed_demo

DEMO_DOMAIN = "demo.meded.test"
DEMO_PASSWORD = "meded-demo-2026"
STUDENT_EMAIL = f"student@{DEMO_DOMAIN}"
TUTOR_EMAIL = f"tutor@{DEMO_DOMAIN}"
COMMITTEE_EMAIL = f"committee@{DEMO_DOMAIN}"
SEED = 2026

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jess",
    "Kai",
    "Laila",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Priya",
    "Quentin",
    "Rosie",
    "Sami",
    "Tara",
    "Usman",
    "Violet",
    "William",
    "Xin",
    "Yusuf",
    "Zara",
    "Amelia",
    "Callum",
    "Deepa",
    "Ethan",
    "Freya",
    "Gurpreet",
    "Harry",
    "Isla",
    "Jamal",
    "Katie",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Rhys",
    "Sophie",
    "Tom",
    "Uma",
    "Zainab",
]
LAST_NAMES = [
    "Ahmed",
    "Baker",
    "Chen",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nguyen",
    "O'Brien",
    "Patel",
    "Quinn",
    "Roberts",
    "Smith",
    "Taylor",
    "Usman",
    "Vaughan",
    "Williams",
    "Xu",
    "Young",
    "Zhang",
    "Campbell",
    "Kaur",
    "Okafor",
    "Murphy",
    "Singh",
    "Walker",
    "Wright",
    "Clarke",
    "Hall",
    "Shah",
    "Thomas",
    "Wood",
    "Ali",
    "Brown",
]


@dataclass
class Demo:
    """What the core created, for the apps' seed_demo receivers to build on."""

    rng: random.Random
    students: list[User] = field(default_factory=list)
    tutors: list[User] = field(default_factory=list)
    committee: list[User] = field(default_factory=list)
    student: User | None = None
    tutor: User | None = None
    chair: User | None = None


def _member(email: str, name: str, year: str, password_hash: str) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": name,
            "year_of_study": year,
            "verified_year": year,  # the demo's members were verified by its committee
            "password": password_hash,
        },
    )
    if created:
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def seed_members(demo: Demo) -> None:
    rng = random.Random(SEED)
    password_hash = make_password(DEMO_PASSWORD)  # hash once: 350 members in seconds
    tutors_group = Group.objects.get(name=TUTORS_GROUP)

    demo.student = _member(STUDENT_EMAIL, "Sam Student", YearOfStudy.Y3, password_hash)
    demo.tutor = _member(TUTOR_EMAIL, "Taylor Tutor", YearOfStudy.Y5, password_hash)
    demo.chair = _member(COMMITTEE_EMAIL, "Casey Committee", YearOfStudy.Y6, password_hash)
    appoint(None, demo.chair)  # the committee role and its admin rights, through the service
    demo.tutor.groups.add(tutors_group)
    demo.committee.append(demo.chair)
    for i, name in enumerate(["Morgan Okafor", "Riya Shah"], start=1):
        member = _member(f"committee{i}@{DEMO_DOMAIN}", name, YearOfStudy.Y5, password_hash)
        appoint(None, member)
        demo.committee.append(member)

    # 300 students spread over the years (more in the early years, as in a real society).
    year_weights = [("1", 70), ("2", 65), ("3", 60), ("4", 45), ("5", 35), ("6", 25)]
    years = [y for y, w in year_weights for _ in range(w)]
    demo.students.append(demo.student)
    for i in range(300):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        email = f"{slugify(name).replace('-', '.')}.{i:03d}@{DEMO_DOMAIN}"
        demo.students.append(_member(email, name, years[i], password_hash))

    # 45 tutors: near-peers in the later years, a few intercalating or graduated.
    tutor_years = ["4"] * 10 + ["5"] * 15 + ["6"] * 14 + ["ibsc"] * 3 + ["grad"] * 3
    demo.tutors.append(demo.tutor)
    for i, year in enumerate(tutor_years):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        tutor = _member(f"tutor{i + 1:02d}@{DEMO_DOMAIN}", name, year, password_hash)
        demo.tutors.append(tutor)
    tutors_group.user_set.add(*demo.tutors)


def seed(stdout=None) -> Demo:
    demo = Demo(rng=random.Random(SEED))
    with transaction.atomic():
        seed_curriculum()
        seed_members(demo)
        seed_demo.send(sender=None, demo=demo)
        seed_former_member(demo)
    return demo


def seed_former_member(demo: Demo) -> None:
    """One member who asked the committee to erase their account, erased through the service
    (once: a second run finds the former member and adds nobody)."""
    from meded.accounts.erasure import erase_by_committee

    if User.objects.filter(erased_at__isnull=False).exists():
        return
    member = _member(f"former.member@{DEMO_DOMAIN}", "Jordan Former", YearOfStudy.Y4, "!")
    erase_by_committee(demo.chair, member)
