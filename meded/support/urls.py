from django.urls import path

from . import views

urlpatterns = [
    path("support/", views.page, name="support"),
    path("committee/support/", views.edit, name="support_edit"),
]
