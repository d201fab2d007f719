"""Resource pages: upload from a session, review and publish, versions, counts, the library."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions_app.models import Resource, ResourceAccess
from sessions_app.resources import sample_files
from sessions_app.resources.selectors import recording_viewers, watched_recording
from tests.factories.core import (
    CommitteeFactory,
    ModuleFactory,
    TopicFactory,
    TutorFactory,
    UserFactory,
)
from tests.factories.resources import (
    ResourceAccessFactory,
    ResourceFactory,
    ResourceVersionFactory,
    pdf_upload,
    upload,
)
from tests.factories.sessions import BookingFactory, TeachingSessionFactory


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def session_and_tutor(db):
    tutor = TutorFactory()
    return TeachingSessionFactory(tutors=[tutor], topic=TopicFactory()), tutor


def test_tutor_uploads_slides_which_wait_for_review_then_the_committee_publishes(
    client, session_and_tutor
):
    session, tutor = session_and_tutor
    login(client, tutor)
    url = f"/sessions/{session.pk}/resources/upload/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "slides", "title": "Week 1 slides", "file": pdf_upload()})
    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/resources/{resource.pk}/"
    assert resource.status == Resource.Status.AWAITING_REVIEW
    assert resource.visibility == Resource.Visibility.ATTENDEES
    assert resource.release_at == session.starts_at
    assert list(resource.topics.all()) == [session.topic]

    login(client, CommitteeFactory())
    page = client.get("/committee/resources/")
    assert b"Week 1 slides" in page.content and b"Awaiting review (1)" in page.content
    client.post(f"/committee/resources/{resource.pk}/publish/")
    resource.refresh_from_db()
    assert resource.status == Resource.Status.PUBLISHED and resource.published_at


def test_without_review_a_tutors_upload_is_published_at_once(client, session_and_tutor, settings):
    settings.MEDED_RESOURCES_REVIEW_REQUIRED = False
    session, tutor = session_and_tutor
    login(client, tutor)
    client.post(
        f"/sessions/{session.pk}/resources/upload/",
        {"kind": "slides", "title": "S", "file": pdf_upload()},
    )
    assert Resource.objects.get().status == Resource.Status.PUBLISHED


def test_the_rounds_setting_wins_over_the_default(session_and_tutor, settings):
    from sessions_app.resources.services import review_required

    session, _ = session_and_tutor
    settings.MEDED_RESOURCES_REVIEW_REQUIRED = True
    assert review_required(session)
    session.round = type("Round", (), {"review_required_for_resources": False})()
    assert not review_required(session)


def test_a_refused_file_is_shown_next_to_the_form_and_nothing_saved(client, session_and_tutor):
    session, tutor = session_and_tutor
    login(client, tutor)
    response = client.post(
        f"/sessions/{session.pk}/resources/upload/",
        {"kind": "slides", "title": "S", "file": upload("s.pdf", sample_files.PNG_1PX)},
    )
    assert response.status_code == 200
    assert "its content is of type “PNG image”" in response.content.decode()
    assert not Resource.objects.exists()


def login_as(client, role: str, session, tutor) -> None:
    """Log in as one of the roles around a session (a booked student is booked on it)."""
    if role == "anonymous":
        return
    makers = {
        "student": UserFactory,
        "booked": lambda: BookingFactory(session=session).student,
        "other_tutor": TutorFactory,
        "tutor": lambda: tutor,
        "committee": CommitteeFactory,
    }
    login(client, makers[role]())


# Pages only the session's tutors and the committee may open.
TUTORS_AND_COMMITTEE = [
    ("anonymous", 302),
    ("student", 403),
    ("booked", 403),
    ("other_tutor", 403),
    ("tutor", 200),
    ("committee", 200),
]


@pytest.mark.parametrize(("role", "status"), TUTORS_AND_COMMITTEE)
def test_who_may_open_the_session_upload_page(client, session_and_tutor, role, status):
    session, tutor = session_and_tutor
    login_as(client, role, session, tutor)
    assert client.get(f"/sessions/{session.pk}/resources/upload/").status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("student", 403), ("tutor", 403), ("committee", 200)]
)
def test_only_the_committee_sees_the_review_queue_and_publishes(client, db, role, status):
    resource = ResourceFactory(status=Resource.Status.AWAITING_REVIEW, with_file=True)
    makers = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}
    if role != "anonymous":
        login(client, makers[role]())
    assert client.get("/committee/resources/").status_code == status
    response = client.post(f"/committee/resources/{resource.pk}/publish/")
    assert response.status_code == (302 if status == 200 else status)
    resource.refresh_from_db()
    published = resource.status == Resource.Status.PUBLISHED
    assert published is (role == "committee")


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("student", 200), ("tutor", 200), ("committee", 200)]
)
def test_the_library_is_for_members(client, db, role, status):
    makers = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}
    if role != "anonymous":
        login(client, makers[role]())
    assert client.get("/resources/").status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("student", 403), ("tutor", 200), ("committee", 200)]
)
def test_general_upload_is_for_tutors_and_committee(client, db, role, status):
    makers = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}
    if role != "anonymous":
        login(client, makers[role]())
    assert client.get("/resources/upload/").status_code == status


def test_a_new_version_keeps_the_old_one_for_tutors_and_committee(
    client, session_and_tutor, settings
):
    settings.MEDED_RESOURCES_REVIEW_REQUIRED = False
    session, tutor = session_and_tutor
    resource = ResourceFactory(session=session, kind="slides", uploaded_by=tutor)
    ResourceVersionFactory(
        resource=resource, uploaded_at=timezone.now() - timedelta(days=1), filename="v1.pdf"
    )
    login(client, tutor)
    client.post(f"/resources/{resource.pk}/versions/", {"file": pdf_upload("v2.pdf", "V2")})
    v2, v1 = resource.versions.order_by("-uploaded_at")
    assert (v2.filename, v1.filename) == ("v2.pdf", "v1.pdf")
    assert resource.current_version() == v2
    page = client.get(f"/resources/{resource.pk}/").content.decode()
    assert "v1.pdf" in page and "v2.pdf</a> (current)" in page
    old = client.get(f"/resources/{resource.pk}/versions/{v1.pk}/download/")
    assert old.status_code == 200
    assert b"".join(old.streaming_content) == v1.file.open("rb").read()
    download = client.get(f"/resources/{resource.pk}/download/")
    assert 'filename="v2.pdf"' in download["Content-Disposition"]

    student = UserFactory()
    login(client, student)
    assert client.get(f"/resources/{resource.pk}/versions/{v1.pk}/download/").status_code == 403
    assert client.get(f"/resources/{resource.pk}/download/").status_code == 200
    assert (
        client.post(
            f"/resources/{resource.pk}/versions/", {"file": pdf_upload("v3.pdf")}
        ).status_code
        == 403
    )


def test_views_and_downloads_are_counted_for_the_committee(client, db):
    resource = ResourceFactory(title="Counted handout", with_file=True)
    for _ in range(3):
        login(client, UserFactory())
        client.get(f"/resources/{resource.pk}/")
    client.get(f"/resources/{resource.pk}/download/")
    client.get(f"/resources/{resource.pk}/download/?inline=1")  # streamed on the page: not counted
    assert resource.accesses.filter(kind="view").count() == 3
    assert resource.accesses.filter(kind="download").count() == 1
    login(client, CommitteeFactory())
    page = client.get("/committee/resources/")
    row = next(r for r in page.context["page"] if r.pk == resource.pk)
    assert (row.view_count, row.download_count) == (3, 1)


def test_playing_a_recording_not_opening_it_makes_a_member_eligible_for_feedback(client, db):
    session = TeachingSessionFactory()
    recording = ResourceFactory(session=session, kind="recording", with_file=True)
    slides = ResourceFactory(session=session, kind="slides", with_file=True)
    watcher, slide_reader, other = UserFactory(), UserFactory(), UserFactory()
    login(client, other)
    client.get(f"/resources/{recording.pk}/")  # opened, never played
    login(client, watcher)
    page = client.get(f"/resources/{recording.pk}/")
    assert b"<video" in page.content and slides.title.encode() in page.content
    assert not watched_recording(watcher, session)
    played = client.get(f"/resources/{recording.pk}/download/?inline=1")
    b"".join(played.streaming_content)  # the player streamed all of it
    login(client, slide_reader)
    client.get(f"/resources/{slides.pk}/")
    assert watched_recording(watcher, session)
    assert not watched_recording(slide_reader, session)
    assert not watched_recording(other, session)
    assert list(recording_viewers(session)) == [watcher]


def test_the_recording_page_offers_captions_when_uploaded(client, db):
    committee = CommitteeFactory()
    recording = ResourceFactory(kind="recording", with_file=sample_files.mp4_bytes())
    login(client, committee)
    client.post(
        f"/resources/{recording.pk}/captions/",
        {"captions": upload("subs.vtt", sample_files.vtt_bytes(), "text/vtt")},
    )
    recording.refresh_from_db()
    assert recording.has_captions
    page = client.get(f"/resources/{recording.pk}/").content.decode()
    assert '<track kind="captions"' in page
    captions = client.get(f"/resources/{recording.pk}/captions.vtt")
    assert b"".join(captions.streaming_content).startswith(b"WEBVTT")


def test_the_library_filters_by_kind_year_module_topic_and_text(client, db):
    cardio = ModuleFactory(name="Cardiology", slug="cardiology")
    ecg = TopicFactory(code="CARD-01", title="ECG basics", module=cardio, years=[3])
    renal = TopicFactory(code="RENAL-01", title="Acid-base", years=[2])
    a = ResourceFactory(title="ECG question bank", kind="question_bank", topics=[ecg])
    b = ResourceFactory(title="Acid-base guide", kind="guide", topics=[renal])
    ResourceFactory(title="Hidden draft", status="draft", topics=[ecg])
    login(client, UserFactory())

    def titles(query):
        return [r.title for r in client.get(f"/resources/?{query}").context["page"]]

    assert set(titles("")) == {a.title, b.title}
    assert titles("kind=guide") == [b.title]
    assert titles("year=3") == [a.title]
    assert titles("module=cardiology") == [a.title]
    assert titles("topic=card-01") == [a.title]
    assert titles("q=acid") == [b.title]
    assert titles("q=ecg+bank") == [a.title]


def _library_queries(client, n):
    topic = TopicFactory()
    session = TeachingSessionFactory()
    for i in range(n):
        ResourceFactory(
            title=f"R{i}", topics=[topic], session=session, kind="recording", with_file=True
        )
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/resources/")
    assert response.status_code == 200
    assert len(response.context["page"]) == n
    return len(ctx.captured_queries)


def test_library_query_count_does_not_grow_with_rows(client, db):
    login(client, UserFactory())
    one = _library_queries(client, 1)
    Resource.objects.all().delete()
    assert _library_queries(client, 20) == one


def test_review_page_query_count_does_not_grow_with_rows(client, db):
    login(client, CommitteeFactory())

    def count(n):
        Resource.objects.all().delete()
        for _ in range(n):
            r = ResourceFactory(status="awaiting_review", session=TeachingSessionFactory())
            ResourceAccessFactory(resource=r, kind=ResourceAccess.Kind.DOWNLOAD)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/committee/resources/").status_code == 200
        return len(ctx.captured_queries)

    assert count(1) == count(20)


def test_session_page_partial_lists_resources_by_kind(client, db):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    session = TeachingSessionFactory()
    booked = UserFactory()
    BookingFactory(session=session, student=booked)
    ResourceFactory(session=session, kind="slides", title="The slides", visibility="attendees")
    ResourceFactory(session=session, kind="recording", title="The recording")
    request = RequestFactory().get("/")
    request.user = booked
    html = render_to_string(
        "sessions_app/_session_resources.html", {"session": session}, request=request
    )
    assert html.index("The slides") < html.index("The recording")
    request.user = UserFactory()
    html = render_to_string(
        "sessions_app/_session_resources.html", {"session": session}, request=request
    )
    assert "The slides" not in html and "The recording" in html


def test_the_session_page_lists_its_resources(client, db):
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor])
    ResourceFactory(session=session, kind="recording", title="The recording")
    login(client, UserFactory())
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "The recording" in page and "Upload slides" not in page
    login(client, tutor)
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert f"/sessions/{session.pk}/resources/upload/" in page


@pytest.mark.parametrize("round_requires_review", [True, False])
def test_a_session_from_a_rounds_allocation_follows_that_rounds_review_setting(
    db, settings, round_requires_review
):
    from sessions_app.resources.services import review_required
    from tests.factories.tutors import RecruitmentRoundFactory
    from tutors.models import AllocatedTopic, AllocationRun, Offering

    settings.MEDED_RESOURCES_REVIEW_REQUIRED = not round_requires_review
    tutor, topic = TutorFactory(), TopicFactory()
    round_ = RecruitmentRoundFactory(review_required_for_resources=round_requires_review)
    offering = Offering.objects.create(round=round_, topic=topic)
    run = AllocationRun.objects.create(
        round=round_,
        objective="maxmin",
        seed=1,
        inputs={},
        result={},
        statistics={},
        baseline={},
        is_published=True,
    )
    AllocatedTopic.objects.create(run=run, tutor=tutor, offering=offering)
    session = TeachingSessionFactory(topic=topic, tutors=[tutor])
    assert review_required(session) is round_requires_review
    other = TeachingSessionFactory(topic=TopicFactory(), tutors=[tutor])
    assert review_required(other) is (not round_requires_review)


def test_admin_lists_resources_with_their_versions(client, db):
    from meded.models import User

    admin = User.objects.create_superuser(email="root@demo.meded.test", password="x-long-pass-26")
    resource = ResourceFactory(with_file=True)
    ResourceAccessFactory(resource=resource)
    client.force_login(admin)
    assert client.get("/admin/sessions_app/resource/").status_code == 200
    assert client.get(f"/admin/sessions_app/resource/{resource.pk}/change/").status_code == 200
    assert client.get("/admin/sessions_app/resourceaccess/").status_code == 200


@pytest.mark.parametrize(
    ("review_required", "uploader", "status_after"),
    [
        (True, "tutor", Resource.Status.AWAITING_REVIEW),
        (True, "committee", Resource.Status.PUBLISHED),
        (False, "tutor", Resource.Status.PUBLISHED),
    ],
)
def test_a_tutors_new_version_goes_back_for_review_when_the_round_requires_it(
    client, session_and_tutor, settings, review_required, uploader, status_after
):
    """Replacing a published file must not bypass the committee's review."""
    settings.MEDED_RESOURCES_REVIEW_REQUIRED = review_required
    session, tutor = session_and_tutor
    resource = ResourceFactory(session=session, kind="slides", uploaded_by=tutor, with_file=True)
    login(client, tutor if uploader == "tutor" else CommitteeFactory())
    response = client.post(
        f"/resources/{resource.pk}/versions/", {"file": pdf_upload("v2.pdf", "V2")}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.versions.count() == 2
    assert resource.status == status_after
    waits = status_after == Resource.Status.AWAITING_REVIEW
    assert (resource.published_at is None) is waits
    login(client, UserFactory())
    assert client.get(f"/resources/{resource.pk}/download/").status_code == (403 if waits else 200)


@pytest.mark.parametrize(("role", "status"), TUTORS_AND_COMMITTEE)
def test_who_may_edit_a_resources_details(client, session_and_tutor, role, status):
    session, tutor = session_and_tutor
    resource = ResourceFactory(session=session, kind="slides", uploaded_by=CommitteeFactory())
    login_as(client, role, session, tutor)
    url = f"/resources/{resource.pk}/edit/"
    assert client.get(url).status_code == status
    response = client.post(url, {"title": "Renamed", "visibility": "members"})
    assert response.status_code == (302 if status == 200 else status)
    resource.refresh_from_db()
    assert (resource.title == "Renamed") is (status == 200)


def test_the_committee_corrects_the_release_time_in_london_time(client, session_and_tutor):
    session, _ = session_and_tutor
    resource = ResourceFactory(session=session, kind="slides", visibility="attendees")
    login(client, CommitteeFactory())
    page = client.get(f"/resources/{resource.pk}/edit/")
    assert page.status_code == 200 and 'type="datetime-local"' in page.content.decode()
    response = client.post(
        f"/resources/{resource.pk}/edit/",
        {"title": resource.title, "visibility": "attendees", "release_at": "2026-07-01T09:30"},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.release_at.isoformat() == "2026-07-01T08:30:00+00:00"  # BST
    assert resource.status == Resource.Status.PUBLISHED


@pytest.mark.parametrize(
    ("change", "status_after"),
    [
        ({"visibility": "members"}, Resource.Status.AWAITING_REVIEW),
        ({"release_at": "2026-01-05T09:00"}, Resource.Status.AWAITING_REVIEW),
        # what students read is reviewed too (issue 17): even a typo fix goes back
        ({"title": "Week 1 slides (fixed typo)"}, Resource.Status.AWAITING_REVIEW),
        ({}, Resource.Status.PUBLISHED),  # saving it unchanged keeps it published
    ],
)
def test_a_tutor_widening_who_sees_a_published_resource_sends_it_back_for_review(
    client, session_and_tutor, settings, change, status_after
):
    settings.MEDED_RESOURCES_REVIEW_REQUIRED = True
    session, tutor = session_and_tutor
    resource = ResourceFactory(
        session=session, kind="slides", uploaded_by=tutor, visibility="attendees", title="W1"
    )
    login(client, tutor)
    data = {"title": "W1", "visibility": "attendees", "release_at": "", **change}
    assert client.post(f"/resources/{resource.pk}/edit/", data).status_code == 302
    resource.refresh_from_db()
    assert resource.status == status_after
    assert resource.title == data["title"]


def test_a_bad_edit_is_shown_next_to_the_field_and_changes_nothing(client, db):
    resource = ResourceFactory(kind="guide", title="OSCE guide")  # no session
    login(client, CommitteeFactory())
    response = client.post(
        f"/resources/{resource.pk}/edit/", {"title": "", "visibility": "attendees"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"title", "visibility"}
    resource.refresh_from_db()
    assert (resource.title, resource.visibility) == ("OSCE guide", "members")


def test_only_opens_of_a_published_released_resource_are_counted(client, session_and_tutor):
    """The committee reviewing a draft recording has not 'watched the recording'."""
    session, tutor = session_and_tutor
    committee = CommitteeFactory()
    draft = ResourceFactory(session=session, kind="recording", status="draft", with_file=True)
    later = ResourceFactory(
        session=session,
        kind="recording",
        release_at=timezone.now() + timedelta(days=1),
        with_file=True,
    )
    for user in (committee, tutor):
        login(client, user)
        for resource in (draft, later):
            assert client.get(f"/resources/{resource.pk}/").status_code == 200
            assert client.get(f"/resources/{resource.pk}/download/").status_code == 200
            played = client.get(f"/resources/{resource.pk}/download/?inline=1")
            b"".join(played.streaming_content)
    assert not ResourceAccess.objects.exists()
    assert not watched_recording(committee, session)
    draft.status = Resource.Status.PUBLISHED
    draft.save()
    login(client, committee)
    client.get(f"/resources/{draft.pk}/")
    assert not watched_recording(committee, session)  # opening is not watching
    b"".join(client.get(f"/resources/{draft.pk}/download/?inline=1").streaming_content)
    assert watched_recording(committee, session)


def test_the_committee_can_publish_from_the_resource_page_it_reviews(client, session_and_tutor):
    session, tutor = session_and_tutor
    resource = ResourceFactory(session=session, status="awaiting_review", with_file=True)
    publish_url = f"/committee/resources/{resource.pk}/publish/"
    login(client, tutor)
    assert publish_url not in client.get(f"/resources/{resource.pk}/").content.decode()
    login(client, CommitteeFactory())
    assert publish_url in client.get(f"/resources/{resource.pk}/").content.decode()
    client.post(publish_url)
    resource.refresh_from_db()
    assert resource.status == Resource.Status.PUBLISHED
    assert publish_url not in client.get(f"/resources/{resource.pk}/").content.decode()
