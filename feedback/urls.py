from django.urls import include, path

from feedback.views import certificates, committee, forms_admin, member, tutor

app_name = "feedback"

urlpatterns = [
    path("", include("feedback.portfolio.urls")),
    path("feedback/", member.mine, name="mine"),
    path("feedback/sessions/<int:pk>/", member.answer, name="answer"),
    path("feedback/sessions/<int:pk>/observe/", committee.observe, name="observe"),
    path("feedback/mine/teaching/", tutor.teaching, name="teaching"),
    path("feedback/mine/teaching/<int:pk>/", tutor.teaching_session, name="teaching_session"),
    path("feedback/certificates/", certificates.certificates, name="certificates"),
    path("feedback/certificates/teaching/", certificates.issue_teaching, name="issue_teaching"),
    path(
        "feedback/certificates/attendance/",
        certificates.issue_attendance,
        name="issue_attendance",
    ),
    path("feedback/certificates/<str:code>.pdf", certificates.pdf, name="certificate_pdf"),
    path("certificates/verify/", certificates.verify, name="verify_lookup"),
    path("certificates/verify/<str:code>/", certificates.verify, name="verify"),
    path("committee/feedback/", committee.dashboard, name="committee"),
    path("committee/feedback/review/", committee.review, name="review"),
    path(
        "committee/feedback/review/<uuid:answer_id>/",
        committee.review_decide,
        name="review_decide",
    ),
    path("committee/feedback/export.csv", committee.export, name="export"),
    path("committee/feedback/comments.csv", committee.comments, name="comments"),
    path("committee/feedback/report/", committee.report, name="report"),
    path("committee/feedback/forms/", forms_admin.form_list, name="forms"),
    path("committee/feedback/forms/copy/", forms_admin.form_copy, name="form_copy"),
    path("committee/feedback/forms/<int:pk>/", forms_admin.form_edit, name="form_edit"),
]
