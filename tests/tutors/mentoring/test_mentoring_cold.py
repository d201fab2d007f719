"""The member's mentoring page read cold (after a write to every table): the open schemes with
the member's sign-ups, and their pairs with scheme, people, check-ins and change requests, come
from reads compiled once per process, holding what the joined querysets hold."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import CommitteeFactory, UserFactory
from tests.support.mailings import confirm_action
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)
from tutors.mentoring import selectors
from tutors.mentoring.models import SchemeKind
from tutors.mentoring.services import (
    ask_for_mentor,
    create_scheme,
    offer_to_mentor,
    request_change,
    run_matching,
    send_due_check_ins,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


@pytest.fixture
def paired():
    scheme = create_scheme(CommitteeFactory(), "Mentoring 2026/27", SchemeKind.MENTORING, "2,6")
    mentor = UserFactory(year_of_study="5", full_name="Maya Mentor")
    mentee = UserFactory(year_of_study="2", full_name="Ed Mentee")
    offer_to_mentor(mentor, scheme, 1, ["exams"])
    ask_for_mentor(mentee, scheme, ["exams"])
    run_matching(CommitteeFactory(), scheme)
    confirm_action(CommitteeFactory(), "tutors.introduce_mentoring", scheme.pk)
    with time_machine.travel(timezone.now() + timedelta(weeks=2, minutes=1)):
        send_due_check_ins()
    create_scheme(CommitteeFactory(), "Buddies 2026/27", SchemeKind.BUDDY, "1,6")
    return scheme, mentor, mentee


def _shown(pairs) -> list:
    return [
        (
            p.pk,
            p.scheme.name,
            p.mentor.email,
            p.mentee.email,
            [(c.pk, c.week, c.met) for c in p.check_ins.all()],
            [c.pk for c in p.change_requests.all()],
        )
        for p in pairs
    ]


def test_the_prepared_reads_hold_what_the_querysets_hold(paired):
    _, mentor, mentee = paired
    request_change(mentee, selectors.pairs_of(mentee).get(), "Clash")
    for member in (mentor, mentee, UserFactory()):
        assert _shown(selectors.member_pairs(member)) == _shown(selectors.pairs_of(member))
        assert selectors.open_schemes_for_member(member) == selectors.open_schemes_for(member)
    assert (
        _shown(selectors.member_pairs(mentee))[0][4]
        and _shown(selectors.member_pairs(mentee))[0][5]
    )


def test_a_cold_visit_compiles_only_the_members_own_reads(client, paired, orm_compiles):  # noqa: F811
    *_, mentee = paired
    client.force_login(mentee)
    cold_compiled(client, "/mentoring/", orm_compiles)  # the first visit compiles its reads
    page, compiled = cold_compiled(client, "/mentoring/", orm_compiles)
    assert len(compiled) <= 2, "\n".join(compiled)  # the member and their roles
    assert "Your mentor is <strong>Maya Mentor</strong>" in page and "have you met?" in page
    assert "Buddies 2026/27" in page
