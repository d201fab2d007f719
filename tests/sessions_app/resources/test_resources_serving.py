"""Serving private files: local storage for real (with HTTP Range), S3 through a stub."""

import pytest

from sessions_app.resources import sample_files
from sessions_app.resources.file_serving import is_signed_url_storage, parse_range
from tests.factories.core import PASSWORD, UserFactory
from tests.factories.resources import ResourceFactory, ResourceVersionFactory

VIDEO = sample_files.mp4_bytes(payload_bytes=200_000)


@pytest.fixture
def recording(db):
    resource = ResourceFactory(kind="recording", title="Cardiology recording")
    ResourceVersionFactory(
        resource=resource, content=VIDEO, filename="cardio.mp4", content_type="video/mp4"
    )
    return resource


@pytest.fixture
def member_client(client, db):
    client.login(email=UserFactory().email, password=PASSWORD)
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_whole_file_download_is_a_private_attachment(member_client, recording):
    response = member_client.get(f"/resources/{recording.pk}/download/")
    assert response.status_code == 200
    assert _body(response) == VIDEO
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(VIDEO))
    assert response["Content-Disposition"].startswith('attachment; filename="cardio.mp4"')
    assert response["Content-Type"] == "video/mp4"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # Only our own pages may frame a file (slides beside a recording), and it runs nothing.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-1999", 1000, 1999),
        ("bytes=150000-", 150000, len(VIDEO) - 1),
        ("bytes=-500", len(VIDEO) - 500, len(VIDEO) - 1),
        (f"bytes=100-{len(VIDEO) + 50}", 100, len(VIDEO) - 1),
    ],
)
def test_range_requests_return_206_with_exactly_those_bytes(
    member_client, recording, header, start, end
):
    response = member_client.get(
        f"/resources/{recording.pk}/download/?inline=1", headers={"Range": header}
    )
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(VIDEO)}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Content-Disposition"].startswith("inline")
    assert _body(response) == VIDEO[start : end + 1]


def test_an_unsatisfiable_range_is_416(member_client, recording):
    response = member_client.get(
        f"/resources/{recording.pk}/download/", headers={"Range": f"bytes={len(VIDEO)}-"}
    )
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO)}"


def test_a_malformed_range_is_ignored_and_the_whole_file_sent(member_client, recording):
    response = member_client.get(
        f"/resources/{recording.pk}/download/", headers={"Range": "bytes=0-1,5-9"}
    )
    assert response.status_code == 200
    assert _body(response) == VIDEO


def test_parse_range_edges():
    assert parse_range("", 10) is None
    assert parse_range("bytes=-0", 10) is False
    assert parse_range("bytes=5-2", 10) is False
    assert parse_range("bytes=-50", 10) == (0, 9)
    assert parse_range("items=0-1", 10) is None


class StubS3Storage:
    """Stands in for storages.backends.s3.S3Storage where no S3 is reachable."""

    bucket_name = "meded-private"
    querystring_auth = True
    calls: list = []

    def url(self, name, parameters=None, expire=None):
        self.calls.append((name, parameters, expire))
        return f"https://s3.example.test/{self.bucket_name}/{name}?X-Amz-Signature=abc&X-Amz-Expires={expire}"


def test_with_s3_storage_the_view_redirects_to_a_short_lived_signed_url(
    member_client, recording, monkeypatch
):
    stub = StubS3Storage()
    version = recording.versions.get()
    monkeypatch.setattr(version.file.field, "storage", stub)
    response = member_client.get(f"/resources/{recording.pk}/download/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://s3.example.test/meded-private/resources/")
    assert "X-Amz-Expires=300" in response["Location"]
    name, params, expire = stub.calls[-1]
    assert name == version.file.name and expire == 300
    assert params["ResponseContentDisposition"].startswith('attachment; filename="cardio.mp4"')
    assert params["ResponseContentType"] == "video/mp4"


def test_the_real_s3_backend_is_recognised_as_signed_url_storage():
    from storages.backends.s3 import S3Storage

    storage = S3Storage(bucket_name="meded-private", querystring_auth=True)
    assert is_signed_url_storage(storage)
    assert not is_signed_url_storage(S3Storage(bucket_name="x", querystring_auth=False))


def test_s3_settings_select_the_private_signed_backend(monkeypatch):
    """meded/settings.py switches the default storage to S3 when a bucket is configured."""
    import importlib

    import environ

    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "meded-private")
    monkeypatch.setattr(environ.Env, "read_env", staticmethod(lambda *a, **k: None))
    import meded.settings as live

    spec = importlib.util.spec_from_file_location("meded_settings_s3", live.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    default = module.STORAGES["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["querystring_auth"] is True
    assert default["OPTIONS"]["default_acl"] == "private"


def test_a_download_resumed_with_range_requests_counts_once(member_client, recording):
    url = f"/resources/{recording.pk}/download/"
    assert member_client.get(url, headers={"Range": "bytes=0-999"}).status_code == 206
    assert member_client.get(url, headers={"Range": "bytes=1000-"}).status_code == 206
    assert member_client.get(url + "?inline=1", headers={"Range": "bytes=0-"}).status_code == 206
    assert recording.accesses.filter(kind="download").count() == 1
    member_client.get(url)
    assert recording.accesses.filter(kind="download").count() == 2


def test_earlier_versions_are_served_with_range_too(client, recording):
    from tests.factories.core import CommitteeFactory

    client.force_login(CommitteeFactory())
    version = recording.versions.get()
    response = client.get(
        f"/resources/{recording.pk}/versions/{version.pk}/download/", headers={"Range": "bytes=5-9"}
    )
    assert response.status_code == 206
    assert _body(response) == VIDEO[5:10]
