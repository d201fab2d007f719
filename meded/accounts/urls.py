"""A member's own account pages (sign-in, sign-up and email come from allauth)."""

from django.urls import path

from . import views

urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/my-data.zip", views.my_data, name="my_data"),
    path("committee/members/committee/", views.committee_roles, name="committee_roles"),
    path("accounts/delete/", views.delete_account, name="delete_account"),
    path("committee/members/erase/", views.erase_member, name="committee_erase_member"),
    path("committee/members/years/", views.years_to_verify, name="committee_years"),
]
