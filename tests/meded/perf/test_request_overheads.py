"""Every signed-in request's fixed cost (issue 16): the session comes from the cache, the
member's roles are read once, and static files are served pre-compressed (brotli and gzip)."""

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.core import CommitteeFactory


def test_a_signed_in_page_view_reads_no_session_row_and_the_roles_once(client, db):
    member = CommitteeFactory()
    client.force_login(member)
    client.get("/")  # the first request may fill the cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/committee/").status_code == 200
    sql = [q["sql"].lower() for q in ctx.captured_queries]
    assert not [q for q in sql if "django_session" in q]
    assert len([q for q in sql if 'from "auth_group"' in q]) <= 1


def test_collectstatic_writes_brotli_and_gzip_copies(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    css = list((tmp_path / "static" / "css").glob("meded.*.css"))
    assert css, "the hashed stylesheet is collected"
    names = {p.name for p in (tmp_path / "static" / "css").iterdir()}
    assert any(n.endswith(".css.br") for n in names)
    assert any(n.endswith(".css.gz") for n in names)
