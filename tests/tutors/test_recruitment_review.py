"""The review list: sorting both ways by every column, filters, mean and spread of scores."""

import re

import pytest
from django.urls import reverse

from tests.factories import CommitteeFactory, UserFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tutors.models import Application
from tutors.recruitment.services.recruitment import add_default_rubric
from tutors.recruitment.services.reviewing import score_application

pytestmark = pytest.mark.django_db
A = Application.Status


def all_of(round, value):
    return {c.pk: value for c in round.criteria.filter(stage="review")}


def refs(html):
    return re.findall(r"A-\d{5}", html.split("<tbody>")[1].split("</tbody>")[0])


@pytest.fixture
def scored(client):
    round = RecruitmentRoundFactory()
    add_default_rubric(round)
    me = CommitteeFactory()
    apps = {}
    for value in (2, 4, 3):
        app = ApplicationFactory(round=round, applicant=UserFactory(full_name=f"Person {value}"))
        score_application(me, app, all_of(round, value), "")
        apps[value] = app
    client.force_login(me)
    return round, apps, reverse("tutors_committee_applications", args=[round.pk])


def test_a_second_click_on_a_column_flips_the_order(client, scored):
    _round, apps, url = scored
    html = client.get(url + "?sort=-score").content.decode()
    assert refs(html)[::2] == [apps[4].reference, apps[3].reference, apps[2].reference]
    assert 'aria-sort="descending"' in html and "?sort=score" in html
    html = client.get(url + "?sort=score").content.decode()
    assert refs(html)[::2] == [apps[2].reference, apps[3].reference, apps[4].reference]
    assert 'aria-sort="ascending"' in html and "?sort=-score" in html


@pytest.mark.parametrize("column", ["name", "year", "status", "score", "interview", "submitted"])
def test_every_column_sorts_both_ways_and_keeps_the_filters(client, scored, column):
    _, _, url = scored
    for sort in (column, f"-{column}"):
        html = client.get(f"{url}?status=submitted&sort={sort}").content.decode()
        assert len(refs(html)) == 6  # three rows, each with its reference twice (named mode)
        flipped = sort[1:] if sort.startswith("-") else f"-{sort}"
        assert f"?status=submitted&amp;sort={flipped}" in html


def test_filters_by_status_year_and_score_combine(client, scored):
    _round, apps, url = scored
    apps[4].year_of_study = "5"
    apps[4].save()
    apps[3].status = A.SHORTLISTED
    apps[3].save()
    assert refs(client.get(url + "?status=shortlisted").content.decode())[::2] == [
        apps[3].reference
    ]
    assert refs(client.get(url + "?year=5").content.decode())[::2] == [apps[4].reference]
    html = client.get(url + "?min_score=3&sort=score").content.decode()
    assert refs(html)[::2] == [apps[3].reference, apps[4].reference]
    assert refs(client.get(url + "?min_score=3&year=4").content.decode())[::2] == [
        apps[3].reference
    ]


def test_the_list_shows_the_weighted_mean_and_the_spread_of_reviews(client, scored):
    round, apps, url = scored
    other = CommitteeFactory()
    score_application(other, apps[2], all_of(round, 4), "")  # 2 and 4
    html = client.get(url + "?q=" + apps[2].reference).content.decode()
    assert "3.00" in html and "range 2.0, n=2" in html


def test_blind_review_never_sends_a_name_or_email_even_with_every_panel_filled(client):
    from django.core.files.base import ContentFile

    from tests.factories.tutors import InterviewSlotFactory
    from tutors.models import Question
    from tutors.recruitment.services.decisions import record_decisions
    from tutors.recruitment.services.interviews import assign_slot
    from tutors.recruitment.services.reviewing import score_interview

    round = RecruitmentRoundFactory(blind_review=True, state="interviewing")
    add_default_rubric(round)
    applicant = UserFactory(full_name="Quentin Hiddenname", email="quentin.h@uni.example")
    app = ApplicationFactory(round=round, applicant=applicant, status=A.SHORTLISTED)
    cv = Question.objects.create(round=round, kind="file", label="CV")
    answer = app.answers.create(question=cv, file_name="Quentin Hiddenname CV.pdf")
    answer.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=True)
    chair = CommitteeFactory()
    score_application(chair, app, all_of(round, 4), "Good")
    assign_slot(chair, app, InterviewSlotFactory(round=round))
    interview = {c.pk: 4 for c in round.criteria.filter(stage="interview")}
    score_interview(chair, app, interview, "accept", "Clear")
    record_decisions(chair, [app], "accept", message="Welcome")
    client.force_login(chair)
    base = reverse("tutors_committee_applications", args=[round.pk])
    pages = [
        reverse("tutors_committee_rounds"),
        reverse("tutors_committee_round", args=[round.pk]),
        base,
        base + "?sort=name&q=Quen",  # a name search is ignored: it cannot tell who is who
        base + "?format=csv",
        reverse("tutors_committee_application", args=[round.pk, app.pk]),
        reverse("tutors_committee_slots", args=[round.pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "Hiddenname" not in body and "quentin" not in body.lower(), url
    file_url = reverse("tutors_committee_answer_file", args=[round.pk, answer.pk])
    assert "Hiddenname" not in client.get(file_url)["Content-Disposition"]
