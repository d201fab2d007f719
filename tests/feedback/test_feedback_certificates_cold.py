"""The certificates page read cold (after a write to every table): the certificates, the series
attended, the progress per series and the rounds come from reads compiled once per process,
with the rows (and the forms' options) of the querysets they stand for."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.forms import TeachingCertificateForm
from feedback.selectors import certificates as sel
from feedback.services.certificates import issue_attendance_certificate
from tests.factories.core import TutorFactory, UserFactory
from tests.factories.feedback import attend, past_session
from tests.factories.sessions import SeriesFactory, TeachingSessionFactory
from tests.factories.tutors import RecruitmentRoundFactory
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
URL = "/feedback/certificates/"


def _member(user):
    renal, cardio = SeriesFactory(title="Year 3 Renal"), SeriesFactory(title="Year 2 Cardio")
    for series, days in ((renal, 9), (renal, 5), (cardio, 3)):
        session, _ = past_session(series=series, days_ago=days)
        attend(session, student=user)
    soon = timezone.now() + timedelta(days=3)
    TeachingSessionFactory(series=renal, starts_at=soon, ends_at=soon + timedelta(hours=1))
    issue_attendance_certificate(user, renal)
    return renal, cardio


def test_the_prepared_reads_give_the_querysets_rows():
    student = UserFactory()
    _member(student)
    RecruitmentRoundFactory(), RecruitmentRoundFactory()
    assert sel.certificates_list(student) == list(sel.certificates_of(student))
    assert sel.attended_series_list(student) == list(sel.attended_series(student))
    assert len(sel.attended_series_list(student)) == 2
    plain = [{**r, "series": r["series"].pk} for r in sel.attendance_progress_rows(student)]
    orm = [{**r, "series": r["series"].pk} for r in sel.attendance_progress(student)]
    assert plain == orm and len(plain) == 2


def test_the_round_select_is_the_one_django_renders():
    RecruitmentRoundFactory(), RecruitmentRoundFactory()
    django_form, plain = TeachingCertificateForm(), TeachingCertificateForm()
    field = plain.fields["round"]
    field.widget.choices = [("", field.empty_label), *sel.round_options()]
    assert str(plain["round"]) == str(django_form["round"])
    assert str(plain["round"]).count("<option") == 3


def test_a_cold_visit_compiles_only_the_members_own_reads(client, orm_compiles):  # noqa: F811
    tutor = TutorFactory()
    _member(tutor)
    RecruitmentRoundFactory(name="2026/27 Term 1")
    client.force_login(tutor)
    cold_compiled(client, URL, orm_compiles)  # the process's first visit compiles its reads
    page, compiled = cold_compiled(client, URL, orm_compiles)
    assert len(compiled) <= 2, "\n".join(compiled)  # the member and their roles
    options = re.findall(r'<option value="\d+">([^<]*)</option>', page)
    assert options == ["2026/27 Term 1", "Year 2 Cardio", "Year 3 Renal"]
    assert "Year 3 Renal</strong>: attended 2 of 2 sessions held so far (3 in the series)" in page
