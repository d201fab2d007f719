"""Every committee page is reachable from /committee/ by following links (no typed URLs)."""

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from meded.accounts.models import User
from meded.demo import COMMITTEE_EMAIL

pytestmark = pytest.mark.django_db
HREF = re.compile(r'href="([^"]+)"')
SKIP = ("/admin/", "/accounts/logout", "/static/", "/media/")
PER_PAGE_NAME = 4  # different query strings of one page visited at most this often
LIMIT = 600


def committee_patterns() -> dict[str, str]:
    """{url name: route} of every pattern under committee/, however deeply included."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, route, ns)
            elif isinstance(p, URLPattern) and route.startswith("committee/") and p.name:
                found[namespace + p.name] = route

    walk(get_resolver().url_patterns, "", "")
    return found


def _name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client) -> set[str]:
    seen_urls: set[str] = set()
    queued: set[str] = {"/committee/"}
    per_name: Counter = Counter()
    reached: set[str] = set()
    queue = deque(["/committee/"])
    while queue and len(seen_urls) < LIMIT:
        url = queue.popleft()
        if url in seen_urls:
            continue
        seen_urls.add(url)
        response = client.get(url)
        assert response.status_code in (200, 302), f"{url}: {response.status_code}"
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            if not href:
                continue
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue  # another site, or mailto:
            if href.startswith("?"):
                href = urlsplit(url).path + href
            elif not href.startswith("/"):
                continue
            path = urlsplit(href).path
            if path.startswith(SKIP):
                continue
            name = _name(path)
            if name is None:
                continue
            reached.add(name)
            # Each page is visited a few times per set of query keys (?run=, ?status=, ...).
            key = (name, tuple(sorted(k.split("=")[0] for k in urlsplit(href).query.split("&"))))
            if href not in queued and per_name[key] < PER_PAGE_NAME:
                per_name[key] += 1
                queued.add(href)
                queue.append(href)
    return reached


def _placeholder(route: str) -> str:
    route = re.sub(r"<int:\w+>", "999999", route)
    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
    return "/" + re.sub(r"<(?:str:)?\w+>", "x", route)


def test_every_committee_page_is_reached_by_links_from_the_committee_home(client, demo_society):
    client.force_login(User.objects.get(email=COMMITTEE_EMAIL))
    reached = crawl(client)
    missing = []
    for name, route in sorted(committee_patterns().items()):
        if name in reached:
            continue
        # What no link reaches must be an action (POST only): a GET is refused before any lookup.
        status = client.get(_placeholder(route)).status_code
        if status != 405:
            missing.append(f"{name} ({route}): GET gives {status}")
    assert not missing, "Committee pages no link reaches:\n" + "\n".join(missing)
