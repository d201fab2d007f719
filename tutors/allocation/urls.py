"""Offerings, rankings and allocation pages (included from tutors/urls.py)."""

from django.urls import path

from tutors.allocation.views import offerings, rankings, runs, swaps

R = "committee/rounds/<int:round_id>/"

urlpatterns = [
    path("tutors/rankings/", rankings.my_ranking, name="tutors_rankings"),
    path("tutors/swaps/", swaps.my_swaps, name="tutors_swaps"),
    path("tutors/swaps/action/", swaps.my_swaps_action, name="tutors_swaps_action"),
    path(R + "swaps/", swaps.round_swaps, name="tutors_round_swaps"),
    path(R + "offerings/", offerings.offerings, name="tutors_offerings"),
    path(R + "offerings/<int:pk>/", offerings.offering_edit, name="tutors_offering_edit"),
    path(R + "rankings/", rankings.round_rankings, name="tutors_round_rankings"),
    path(R + "rankings/export.csv", rankings.rankings_export, name="tutors_rankings_export"),
    path(R + "allocation/", runs.allocation, name="tutors_allocation"),
    path(R + "allocation/run/", runs.run, name="tutors_allocation_run"),
    path(R + "allocation/override/", runs.override, name="tutors_allocation_override"),
    path(
        R + "allocation/runs/<int:run_id>/publish/",
        runs.publish,
        name="tutors_allocation_publish",
    ),
    path(
        R + "allocation/runs/<int:run_id>/export.csv",
        runs.export,
        name="tutors_allocation_export",
    ),
]
