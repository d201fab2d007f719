from django.urls import path

from . import views

urlpatterns = [
    path("teaching/load/", views.load, name="teaching_load"),
    path("teaching/sessions/<int:pk>/cover/", views.ask, name="cover_ask"),
    path("teaching/cover/<int:pk>/withdraw/", views.withdraw, name="cover_withdraw"),
    path("teaching/cover/offers/<int:pk>/accept/", views.accept, name="cover_accept"),
    path("committee/cover/", views.committee, name="cover_committee"),
    path("committee/cover/<int:pk>/", views.offer, name="cover_offer"),
]
