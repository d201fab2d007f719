"""The demo adds resources of every kind, with files that pass our own validation, once."""

from datetime import timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sessions_app.models import Resource
from sessions_app.resources.demo import seed_resources
from sessions_app.resources.uploads import check_upload
from tests.factories.core import CommitteeFactory, TopicFactory, TutorFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory


def test_seed_resources_covers_every_kind_and_is_idempotent(db):
    tutor = TutorFactory()
    TopicFactory.create_batch(5)
    past_start = timezone.now() - timedelta(days=3)
    past = TeachingSessionFactory(
        tutors=[tutor], starts_at=past_start, ends_at=past_start + timedelta(hours=1)
    )
    BookingFactory.create_batch(5, session=past)
    TeachingSessionFactory.create_batch(3, tutors=[tutor])
    demo = SimpleNamespace(chair=CommitteeFactory(), tutor=tutor)

    seed_resources(demo)
    count = Resource.objects.count()
    seed_resources(demo)
    assert Resource.objects.count() == count

    assert set(Resource.objects.values_list("kind", flat=True)) == set(Resource.Kind.values)
    assert Resource.objects.filter(status="awaiting_review").exists()
    recording = Resource.objects.get(kind="recording", session=past)
    assert recording.has_captions and recording.duration
    for resource in Resource.objects.prefetch_related("versions"):
        for version in resource.versions.all():
            with version.file.open("rb") as fh:
                f = SimpleUploadedFile(version.filename, fh.read())
            checked = check_upload(f, resource.kind)
            assert checked.file_type.content_type == version.content_type


def test_seed_demo_adds_resources_to_the_demo_sessions(demo_society):
    from sessions_app.models import ResourceAccess

    kinds = set(Resource.objects.values_list("kind", flat=True))
    assert kinds == set(Resource.Kind.values)
    assert Resource.objects.filter(kind="recording", session__isnull=False).count() >= 3
    assert Resource.objects.filter(kind="recording").exclude(captions="").exists()
    assert Resource.objects.filter(kind="slides", status="awaiting_review").exists()
    assert ResourceAccess.objects.filter(resource__kind="recording").exists()
