"""Every URL pattern and every form on the pages each role sees, with hostile values: never a
500, and a refused request leaves the database as it was.

The walk is deterministic in what it visits (every pattern from the URL resolver, every POST form
found on the pages a role opens); the hostile values come from a random generator seeded by
hypothesis, derandomized with a fixed number of examples per role so CI always runs the same
amount. (One seed per example, not a hypothesis draw per value: a walk over every page makes
thousands of choices, more than hypothesis lets one example draw.) The Django admin's own
patterns are left out (Django's code, committee-only); `/admin/login/` is covered in
tests/meded/deploy/test_admin_login.py.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from meded import demo
from meded.models import User

EXAMPLES_PER_ROLE = 3
ROLES = {
    "visitor": None,
    "student": demo.STUDENT_EMAIL,
    "tutor": demo.TUTOR_EMAIL,
    "committee": demo.COMMITTEE_EMAIL,
}
HOSTILE_TEXT = [
    "²",
    "٣",
    "\uff11\uff12",  # fullwidth 12
    "9" * 5000,
    str(2**63),
    "-1",
    "0",
    "1e9",
    "",
    " ",
    "x" * 20_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "2026-13-45",
    "9999-12-31",
    "0001-01-01",
    "9999-12",
    "true",
    "[]",
    "\u202eevil",
    "a\u200bb",
    "on",
    "\x00",
]
OTHER_IDS = ["1", "2", "3", "7", "999999"]
URL_INTS = [*OTHER_IDS, str(2**63 - 1), str(2**63), "9" * 40]
URL_STRS = ["abc", "²", "x" * 300, "..", "%00", "A-1", "%E2%80%AE"]
QUERY_KEYS = ["page", "year", "module", "q", "month", "week", "view", "next", "status", "round"]
SKIP_PREFIXES = ("admin/",)
_CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _routes() -> list[str]:
    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    routes = [r for r in walk(get_resolver().url_patterns, "") if not r.startswith(SKIP_PREFIXES)]
    return [r for r in routes if "^" not in r]  # allauth's two regex keys: random by design


ROUTES = _routes()


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> options offered


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.current = Form(a.get("action", ""))
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag in ("input", "textarea", "select", "button") and a.get("name"):
            if a["name"] == "csrfmiddlewaretoken" or a.get("type") == "file":
                return
            options = self.current.fields.setdefault(a["name"], [])
            if a.get("value"):
                options.append(a["value"])
            self.select = a["name"] if tag == "select" else None
        elif tag == "option" and self.select and a.get("value"):
            self.current.fields[self.select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def _forms(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _fingerprint() -> dict[str, str]:
    """A digest of every table's rows (all columns, in primary-key order): what a refused
    request must leave alone. Counts alone would miss an UPDATE or a delete-and-insert."""
    fingerprint = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            if not model._meta.managed or table == "django_session":  # a login writes one
                continue
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY {pk}")
            digest = hashlib.blake2b(digest_size=16)
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
            fingerprint[table] = digest.hexdigest()
    return fingerprint


def _writes() -> int | None:
    """How many rows this connection has written so far (rolled back or not): a cheap sign
    that a request wrote something, so tables are only hashed when it did."""
    queries = {
        "sqlite": "SELECT total_changes()",
        "postgresql": "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0)"
        " FROM pg_stat_xact_user_tables",
    }
    if connection.vendor not in queries:
        return None  # unknown: always hash
    with connection.cursor() as cursor:
        cursor.execute(queries[connection.vendor])
        return cursor.fetchone()[0]


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(table for table in before if before[table] != after[table])


def _path(route: str, rng: random.Random) -> str:
    def fill(match):
        if match["conv"] == "int":
            return rng.choice(URL_INTS)
        if match["conv"] == "uuid":
            return "00000000-0000-0000-0000-000000000000"
        return rng.choice(URL_STRS)

    return "/" + _CONVERTER.sub(fill, route)


def _hostile(rng: random.Random, offered: list[str]) -> str:
    """A value the page offered (to reach deeper), another member's id, or a hostile one."""
    pools = [HOSTILE_TEXT, OTHER_IDS]
    if offered:
        pools.append(offered)
    return rng.choice(rng.choice(pools))


def _client(email: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def _check(response, what: str, failures: list[str]) -> None:
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {what}")


@pytest.mark.parametrize("role", list(ROLES))
@settings(
    max_examples=EXAMPLES_PER_ROLE,
    derandomize=True,
    phases=[Phase.generate],  # every failure is listed at once; no shrinking reruns
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_no_input_gives_a_500_or_a_partial_write(demo_society, mailoutbox, role, seed):
    # Each example starts from the same society: what it wrote is rolled back, limits cleared.
    cache.clear()
    with transaction.atomic():
        failures = _walk(ROLES[role], random.Random(seed))
        transaction.set_rollback(True)
    assert not failures, "\n".join(failures[:40])


def _walk(email: str | None, rng: random.Random) -> list[str]:
    failures: list[str] = []
    for route in ROUTES:
        client = _client(email)  # afresh: a logout or a password change ends the session
        path = _path(route, rng)
        keys = rng.sample(QUERY_KEYS, rng.randint(0, 3))
        query = {k: _hostile(rng, []) for k in keys}
        url = f"{quote(path, safe='/%')}?{urlencode(query)}" if query else quote(path, safe="/%")
        response = client.get(url)
        _check(response, f"GET {url[:200]}", failures)
        forms = []
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            forms = _forms(response.content.decode())[:4]
        if not forms:
            forms = [Form(action="")]  # a blind POST to every pattern too
        for form in forms:
            target = urlsplit(form.action).path or path
            payload = {name: _hostile(rng, offered) for name, offered in form.fields.items()}
            poster = _client(email)
            savepoint, writes = transaction.savepoint(), _writes()
            response = poster.post(target, payload)
            what = f"POST {target[:120]} {sorted(payload)}"
            _check(response, what, failures)
            if response.status_code >= 400 and (writes is None or _writes() != writes):
                # Compare every table's rows after the refusal with the rows before it.
                after = _fingerprint()
                transaction.savepoint_rollback(savepoint)
                if changed := _changed(_fingerprint(), after):
                    failures.append(f"partial write on {response.status_code}: {what} {changed}")
            else:
                transaction.savepoint_commit(savepoint)
    return failures


@pytest.mark.django_db
def test_the_fingerprint_sees_a_write_that_keeps_every_count():
    """An UPDATE, or a delete plus an insert, leaves the row counts as they were: the
    fingerprint of the tables' contents still tells."""
    from tests.factories.core import UserFactory

    member, other = UserFactory(full_name="Before"), UserFactory()
    before, writes = _fingerprint(), _writes()
    User.objects.filter(pk=member.pk).update(full_name="After")
    assert _writes() != writes
    assert _changed(before, _fingerprint()) == ["meded_user"]
    before = _fingerprint()
    other.emailaddress_set.all().delete()
    UserFactory()  # one address gone, one new: the same number of rows everywhere else too
    assert "account_emailaddress" in _changed(before, _fingerprint())
