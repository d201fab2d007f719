"""Classical test theory against values worked out by hand, and the committee's page."""

import pytest
from django.test import Client
from django.urls import reverse

from sessions_app.questions import statistics
from sessions_app.questions.models import QuestionFlag

# Five candidates, three items, every key A. Worked by hand:
# item 1 right for c1,c2,c3,c5 (facility 0.8); rest scores 2,1,0,0,2:
#   r = 1.0 / sqrt(0.8 * 4.0) = 0.5590
# item 2 right for c1,c2,c5 (0.6); rest 2,1,1,0,2: r = 1.4 / sqrt(1.2 * 2.8) = 0.7638
# item 3 right for c1,c5 (0.4); rest 2,2,1,0,2: r = 1.2 / sqrt(1.2 * 3.2) = 0.6124
RESPONSES = [
    ["A", "A", "A"],
    ["A", "A", "B"],
    ["A", "B", "B"],
    ["B", "B", "B"],
    ["A", "A", "A"],
]


def test_facility_discrimination_and_distractors_match_the_hand_computation():
    stats = statistics.item_statistics(["A", "A", "A"], RESPONSES)
    assert [s.facility for s in stats] == [0.8, 0.6, 0.4]
    assert [round(s.discrimination, 4) for s in stats] == [0.5590, 0.7638, 0.6124]
    assert stats[0].counts == {"A": 4, "B": 1, "C": 0, "D": 0, "E": 0, "blank": 0}
    assert stats[2].counts["B"] == 3
    assert all(s.flags == [] for s in stats)


def test_blank_answers_are_counted_and_marked_wrong():
    [s] = statistics.item_statistics(["C"], [["C"], [None], ["D"], ["C"]])
    assert s.counts["blank"] == 1 and s.facility == 0.5


def test_too_easy_too_hard_and_poorly_discriminating_are_flagged():
    easy = [["A", "A", "B"]] * 3 + [["A", "B", "A"]] * 3
    stats = statistics.item_statistics(["A", "A", "A"], easy)
    assert stats[0].facility == 1.0 and stats[0].discrimination is None
    assert stats[0].flags == ["too easy", "poorly discriminating"]
    hard = [["B"] + ["A"] * 3] * 5 + [["A", "B", "B", "B"]]
    stats = statistics.item_statistics(["A"] * 4, hard)
    assert "too hard" in stats[0].flags  # 1 of 6 right
    assert round(stats[0].discrimination, 4) == -1.0
    assert "poorly discriminating" in stats[0].flags


def test_fewer_than_five_candidates_flag_nothing():
    stats = statistics.item_statistics(["A"], [["A"]] * 4)
    assert stats[0].flags == []


def test_the_cohort_distribution_in_tenths():
    bands = dict(statistics.distribution([3, 2, 1, 0, 3], 3))
    assert bands["0-9%"] == 1 and bands["30-39%"] == 1 and bands["60-69%"] == 1
    assert bands["90-100%"] == 2 and sum(bands.values()) == 5


@pytest.mark.django_db
def test_the_statistics_page_shows_the_figures_and_sends_a_question_to_review(sat_paper):
    paper, committee = sat_paper
    client = Client()
    client.force_login(committee)
    page = client.get(reverse("sessions_app:exam_statistics", args=[paper.pk])).content.decode()
    assert "0.80" in page and "0.56" in page and "0.76" in page and "0.61" in page
    first = paper.items.first().version.question
    client.post(
        reverse("sessions_app:exam_statistics", args=[paper.pk]),
        {"question": first.pk, "why": "too easy"},
    )
    flag = QuestionFlag.objects.get()
    assert flag.question == first and flag.reason == QuestionFlag.Reason.STATISTICS
    queue = client.get(reverse("sessions_app:question_queue")).content.decode()
    assert f"Q{first.pk}" in queue
