"""A calendar feed URL cannot make the server fetch from inside our network (SSRF).

The attack is played for real: a "secret" service listens on loopback, and a member gives its
address (directly, by a name, through a redirect from a public-looking server); the service
must never receive a request, and the member reads why next to the field.
"""

from __future__ import annotations

import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sessions_app.smallgroups import feeds
from sessions_app.smallgroups.models import BusyBlock, CalendarFeed
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db
CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nEND:VCALENDAR\r\n"


def serve(host: str, reply):
    """A tiny HTTP server on host:<free port>; returns (server, list of paths it was asked)."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            status, headers, body = reply(self)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, asked


@pytest.fixture
def secret():
    server, asked = serve("127.0.0.1", lambda h: (200, {}, CALENDAR))
    yield server.server_address[1], asked
    server.shutdown()
    server.server_close()


def attack(client, url: str):
    member = UserFactory()
    client.force_login(member)
    response = client.post("/availability/", {"action": "feed", "feed_url": url})
    return member, response.status_code, response.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:{port}/secret.ics",
        "http://localhost:{port}/secret.ics",
        "http://[::1]:{port}/secret.ics",
        "http://0.0.0.0:{port}/secret.ics",
        "http://[::ffff:127.0.0.1]:{port}/secret.ics",
        "http://2130706433:{port}/secret.ics",  # 127.0.0.1 as one number
    ],
)
def test_loopback_addresses_are_refused_before_any_request(client, secret, address, monkeypatch):
    port, asked = secret
    monkeypatch.setattr(feeds, "PORTS", {"http": (80, 8080, port), "https": (443, 8443)})
    member, status, page = attack(client, address.format(port=port))
    assert status == 400
    assert "points inside a private network" in page or "could not find the host" in page
    assert asked == []  # the secret service never heard from us
    assert not CalendarFeed.objects.filter(member=member).exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://169.254.169.254/latest/meta-data/", "points inside a private network"),
        ("http://10.0.0.7/cal.ics", "points inside a private network"),
        ("http://192.168.1.1/cal.ics", "points inside a private network"),
        ("https://[fd00::1]/cal.ics", "points inside a private network"),
        ("file:///etc/passwd", "starting with https://"),
        ("gopher://127.0.0.1:6379/_FLUSHALL", "starting with https://"),
        ("ftp://calendar.example/cal.ics", "starting with https://"),
        ("https://calendar.example:6379/cal.ics", "usual web ports"),
        ("https://user:pw@calendar.example/cal.ics", "without a user name or password"),
    ],
)
def test_private_ranges_other_schemes_and_odd_ports_are_refused(client, url, message):
    member, status, page = attack(client, url)
    assert status == 400 and message in page
    assert 'id="id_feed_url-note">' in page  # next to the field
    assert not BusyBlock.objects.filter(member=member).exists()


def test_a_public_server_cannot_redirect_us_inside(client, secret, monkeypatch):
    """127.0.0.2 plays a public calendar server that redirects to the secret service."""
    port, asked = secret
    public, public_asked = serve(
        "127.0.0.2",
        lambda h: (302, {"Location": f"http://127.0.0.1:{port}/secret.ics"}, b""),
    )
    monkeypatch.setattr(
        feeds, "address_allowed", lambda ip: ip == ipaddress.ip_address("127.0.0.2")
    )
    monkeypatch.setattr(
        feeds, "PORTS", {"http": (80, public.server_address[1], port), "https": (443,)}
    )
    try:
        _, status, page = attack(client, f"http://127.0.0.2:{public.server_address[1]}/c")
    finally:
        public.shutdown()
        public.server_close()
    assert public_asked == ["/c"]  # the public server was asked ...
    assert asked == []  # ... and its redirect inside was not followed
    assert status == 400 and "points inside a private network" in page


def test_a_feed_larger_than_the_limit_is_cut_off(client, monkeypatch):
    big, _ = serve("127.0.0.2", lambda h: (200, {}, b"X" * (feeds.MAX_BYTES + 10)))
    monkeypatch.setattr(
        feeds, "address_allowed", lambda ip: ip == ipaddress.ip_address("127.0.0.2")
    )
    monkeypatch.setattr(feeds, "PORTS", {"http": (big.server_address[1],), "https": (443,)})
    try:
        _, status, page = attack(client, f"http://127.0.0.2:{big.server_address[1]}/c")
    finally:
        big.shutdown()
        big.server_close()
    assert status == 400 and "larger than 2 MB" in page


def test_an_allowed_server_is_read(client, monkeypatch):
    good, asked = serve("127.0.0.2", lambda h: (200, {"Content-Type": "text/calendar"}, CALENDAR))
    monkeypatch.setattr(
        feeds, "address_allowed", lambda ip: ip == ipaddress.ip_address("127.0.0.2")
    )
    monkeypatch.setattr(feeds, "PORTS", {"http": (good.server_address[1],), "https": (443,)})
    try:
        member, status, _ = attack(client, f"http://127.0.0.2:{good.server_address[1]}/me.ics")
    finally:
        good.shutdown()
        good.server_close()
    assert status == 302 and asked == ["/me.ics"]
    assert CalendarFeed.objects.get(member=member).problem == ""


def test_public_addresses_pass_the_check():
    assert feeds.address_allowed(ipaddress.ip_address("93.184.216.34"))
    assert not feeds.address_allowed(ipaddress.ip_address("100.64.0.1"))  # carrier NAT
    assert not feeds.address_allowed(ipaddress.ip_address("::ffff:10.0.0.1"))


@pytest.mark.parametrize("url", ["http://[", "http://[::1", "https://exa mple/", "http://:80/"])
def test_broken_addresses_are_explained_not_crashed_on(client, url):
    _, status, page = attack(client, url)
    assert status == 400 and 'id="id_feed_url-note">' in page
