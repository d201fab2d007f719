from django.urls import path

from . import views

urlpatterns = [
    path("feedback/portfolio/", views.mine, name="portfolio"),
    path("feedback/portfolio/portfolio.pdf", views.pdf, name="portfolio_pdf"),
    path("feedback/portfolio/links/", views.link_create, name="portfolio_link_create"),
    path(
        "feedback/portfolio/links/<int:pk>/revoke/",
        views.link_revoke,
        name="portfolio_link_revoke",
    ),
    path(
        "feedback/portfolio/reflections/<int:pk>/include/",
        views.reflection_toggle,
        name="portfolio_reflection_toggle",
    ),
    path(
        "feedback/portfolio/reflections/<int:pk>/delete/",
        views.reflection_delete,
        name="portfolio_reflection_delete",
    ),
    path("committee/portfolio/careers/", views.careers, name="portfolio_careers"),
    path("portfolio/<str:token>/", views.shared, name="portfolio_shared"),
    path("portfolio/<str:token>/portfolio.pdf", views.shared_pdf, name="portfolio_shared_pdf"),
]
