from django.urls import path

from . import views

urlpatterns = [
    path("mentoring/", views.home, name="mentoring_home"),
    path("mentoring/<int:pk>/offer/", views.offer, name="mentoring_offer"),
    path("mentoring/<int:pk>/ask/", views.ask, name="mentoring_ask"),
    path("mentoring/<int:pk>/withdraw/", views.withdraw, name="mentoring_withdraw"),
    path("mentoring/check-in/<int:pk>/", views.check_in, name="mentoring_check_in"),
    path("mentoring/pairs/<int:pk>/change/", views.change, name="mentoring_change"),
    path("committee/mentoring/", views.schemes, name="mentoring_committee"),
    path("committee/mentoring/<int:pk>/", views.scheme, name="mentoring_committee_scheme"),
]
