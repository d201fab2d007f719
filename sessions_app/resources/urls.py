"""Recordings and resources; included by sessions_app/urls.py (namespace "sessions_app")."""

from django.urls import path

from sessions_app.resources import views

urlpatterns = [
    path("resources/", views.library, name="resource_library"),
    path("resources/upload/", views.upload_general, name="resource_upload"),
    path("resources/<int:pk>/", views.detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", views.edit, name="resource_edit"),
    path("resources/<int:pk>/download/", views.download, name="resource_download"),
    path("resources/<int:pk>/captions.vtt", views.captions, name="resource_captions"),
    path("resources/<int:pk>/captions/", views.upload_captions, name="resource_captions_upload"),
    path("resources/<int:pk>/versions/", views.new_version, name="resource_new_version"),
    path(
        "resources/<int:pk>/versions/<int:version_pk>/download/",
        views.version_download,
        name="resource_version_download",
    ),
    path(
        "sessions/<int:pk>/resources/upload/",
        views.upload_for_session,
        name="resource_upload_for_session",
    ),
    path("committee/resources/", views.review, name="resource_review"),
    path("committee/resources/<int:pk>/publish/", views.publish, name="resource_publish"),
    path("committee/resources/<int:pk>/unpublish/", views.unpublish, name="resource_unpublish"),
]
