"""Question bank, practice and mock exams; included by sessions_app/urls.py (namespace
"sessions_app")."""

from django.urls import path

from sessions_app.questions.views import bank, exams, osce, practice

urlpatterns = [
    path("questions/", bank.hub, name="questions"),
    path("questions/mine/", bank.mine, name="question_mine"),
    path("questions/new/", bank.new, name="question_new"),
    path("questions/review/", bank.queue, name="question_queue"),
    path("questions/flags/<int:flag_pk>/resolve/", bank.resolve_flag, name="question_flag_resolve"),
    path("questions/<int:pk>/", bank.detail, name="question_detail"),
    path("questions/<int:pk>/edit/", bank.edit, name="question_edit"),
    path("questions/<int:pk>/submit/", bank.submit, name="question_submit"),
    path("questions/<int:pk>/review/", bank.review, name="question_review"),
    path("questions/<int:pk>/retire/", bank.retire, name="question_retire"),
    path("questions/<int:pk>/flag/", bank.flag, name="question_flag"),
    path("questions/images/<int:version_pk>/", bank.image, name="question_image"),
    path("questions/practice/", practice.start, name="practice_start"),
    path("questions/practice/<int:pk>/", practice.practice_set, name="practice_set"),
    path("questions/practice/<int:pk>/mark/", practice.mark_block, name="practice_mark"),
    path(
        "questions/practice/<int:pk>/<int:position>/", practice.question, name="practice_question"
    ),
    path("questions/progress/", practice.progress, name="practice_progress"),
    path("questions/exams/", exams.my_exams, name="exam_mine"),
    path("questions/exams/<int:pk>/", exams.sit, name="exam_sit"),
    path("questions/exams/<int:pk>/answer/", exams.save_answer, name="exam_answer"),
    path("questions/exams/<int:pk>/save/", exams.save_all, name="exam_save_all"),
    path("questions/exams/<int:pk>/results/", exams.results, name="exam_results"),
    path("questions/osce/", osce.my_sheets, name="osce_sheets"),
    path("questions/osce/<int:pk>/mark/", osce.mark, name="osce_mark"),
    path("questions/osce/stations/", osce.stations, name="osce_station_list"),
    path("questions/osce/stations/new/", osce.station_edit, name="osce_station_new"),
    path("questions/osce/stations/<int:pk>/", osce.station_edit, name="osce_station_edit"),
    path("committee/osce/", osce.stations, name="osce_stations"),
    path(
        "committee/osce/sessions/<int:session_pk>/marks.csv",
        osce.marks_csv,
        name="osce_marks_csv",
    ),
    path("committee/questions/", bank.bank_list, name="question_bank"),
    path("committee/questions/import/", bank.import_page, name="question_import"),
    path("committee/questions/reviewers/", bank.reviewers, name="question_reviewers"),
    path("committee/papers/", exams.papers, name="exam_papers"),
    path("committee/papers/new/", exams.paper_new, name="exam_paper_new"),
    path("committee/papers/<int:pk>/", exams.paper_manage, name="exam_manage"),
    path("committee/papers/<int:pk>/statistics/", exams.paper_statistics, name="exam_statistics"),
    path("committee/papers/<int:pk>/paper.pdf", exams.paper_download, name="exam_pdf"),
]
