"""Factories for resources: a published, members-visible PDF handout unless told otherwise."""

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sessions_app.models import Resource, ResourceAccess, ResourceVersion
from sessions_app.resources import sample_files
from tests.factories.core import TutorFactory


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    """What a browser would send: a name (which may lie) and bytes."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name: str = "slides.pdf", title: str = "Slides") -> SimpleUploadedFile:
    return upload(name, sample_files.pdf_bytes(title), "application/pdf")


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    kind = Resource.Kind.HANDOUT
    title = factory.Sequence(lambda n: f"Resource {n}")
    uploaded_by = factory.SubFactory(TutorFactory)
    status = Resource.Status.PUBLISHED
    visibility = Resource.Visibility.MEMBERS
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)

    @factory.post_generation
    def with_file(obj, create, extracted, **kwargs):
        """ResourceFactory(with_file=b"...") or with_file=True for a small PDF."""
        if create and extracted and obj.kind != Resource.Kind.LINK:
            ResourceVersionFactory(
                resource=obj,
                content=sample_files.pdf_bytes(obj.title) if extracted is True else extracted,
            )


class ResourceVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceVersion
        exclude = ["content"]

    resource = factory.SubFactory(ResourceFactory)
    content = factory.LazyFunction(lambda: sample_files.pdf_bytes("Version"))
    filename = "file.pdf"
    size = factory.LazyAttribute(lambda o: len(o.content))
    content_type = "application/pdf"
    uploaded_by = factory.LazyAttribute(lambda o: o.resource.uploaded_by)
    uploaded_at = factory.LazyFunction(timezone.now)
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name=o.filename))


class ResourceAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceAccess

    resource = factory.SubFactory(ResourceFactory)
    user = factory.SubFactory(TutorFactory)
    kind = ResourceAccess.Kind.VIEW
