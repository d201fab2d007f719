"""Recruitment pages: the applicant's (/tutors/) and the committee's (/committee/rounds/)."""

from django.urls import path

from tutors.recruitment.views import committee, recruitment

urlpatterns = [
    path("tutors/", recruitment.home, name="tutors_home"),
    path("tutors/apply/", recruitment.apply, name="tutors_apply"),
    path("tutors/applications/<int:pk>/withdraw/", recruitment.withdraw, name="tutors_withdraw"),
    path("tutors/applications/<int:pk>/interview/", recruitment.interview, name="tutors_interview"),
    path("committee/rounds/", committee.rounds, name="tutors_committee_rounds"),
    path("committee/rounds/new/", committee.round_form, name="tutors_committee_round_new"),
    path("committee/rounds/roster/", committee.roster, name="tutors_committee_roster_all"),
    path("committee/rounds/<int:pk>/", committee.round_detail, name="tutors_committee_round"),
    path(
        "committee/rounds/<int:pk>/edit/", committee.round_form, name="tutors_committee_round_edit"
    ),
    path(
        "committee/rounds/<int:pk>/state/",
        committee.round_state,
        name="tutors_committee_round_state",
    ),
    path(
        "committee/rounds/<int:pk>/setup/",
        committee.round_setup,
        name="tutors_committee_round_setup",
    ),
    path(
        "committee/rounds/<int:pk>/applications/",
        committee.applications,
        name="tutors_committee_applications",
    ),
    path(
        "committee/rounds/<int:pk>/applications/<int:app_pk>/",
        committee.application_detail,
        name="tutors_committee_application",
    ),
    path(
        "committee/rounds/<int:pk>/files/<int:answer_pk>/",
        committee.answer_file,
        name="tutors_committee_answer_file",
    ),
    path("committee/rounds/<int:pk>/slots/", committee.slots, name="tutors_committee_slots"),
    path("committee/rounds/<int:pk>/release/", committee.release, name="tutors_committee_release"),
    path("committee/rounds/<int:pk>/roster/", committee.roster, name="tutors_committee_roster"),
]

# Fast track for returning tutors.
from tutors.recruitment.views import fasttrack  # noqa: E402

urlpatterns += [
    path("tutors/fast-track/", fasttrack.standing, name="tutors_fast_track"),
    path("committee/tutors/concerns/", fasttrack.concerns, name="tutors_committee_concerns"),
    path(
        "committee/rounds/<int:pk>/fast-track/",
        fasttrack.rule,
        name="tutors_committee_fast_track",
    ),
]
