"""Fetching a member's calendar feed without letting the URL reach inside our network (SSRF).

Only http(s) (webcal is https) on the usual web ports; every address the host name resolves
to must be a public one (no loopback, private, link-local, cloud-metadata, multicast or
reserved ranges), and the connection goes to the address that was checked, so a name that
re-resolves elsewhere (DNS rebinding) cannot slip through. Redirects are followed by the same
rules, a few at most; the reply is cut at a size limit and each read has a timeout.
Pure standard library; no Django.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

TIMEOUT_SECONDS = 10
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 3
PORTS = {"http": (80, 8080), "https": (443, 8443)}
USER_AGENT = "meded-calendar-import/1"


class FeedError(ValueError):
    """A feed that cannot be fetched; the message is for the member."""


def address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A public unicast address: nothing inside our network, nothing special."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def normalise(url: str) -> str:
    """The URL as it will be fetched (webcal:// is https://); FeedError when not allowed."""
    raw = url.strip()
    if raw.lower().startswith("webcal://"):
        raw = "https://" + raw[len("webcal://") :]
    try:
        parts = urlsplit(raw)
    except ValueError as exc:  # "http://[": a broken IPv6 literal
        raise FeedError("This is not a web address we can read.") from exc
    if parts.scheme.lower() not in PORTS:
        raise FeedError("Give a web address starting with https:// (or http://).")
    if not parts.hostname:
        raise FeedError("This web address has no host name.")
    if parts.username or parts.password:
        raise FeedError("Give the feed address without a user name or password in it.")
    try:
        port = parts.port
    except ValueError as exc:
        raise FeedError("This web address has a port that is not a number.") from exc
    if port is not None and port not in PORTS[parts.scheme.lower()]:
        raise FeedError("Calendar feeds are fetched only from the usual web ports.")
    return raw


def _addresses(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FeedError(f"We could not find the host {host!r}.") from exc
    found = sorted({info[4][0] for info in infos})
    if not found:
        raise FeedError(f"We could not find the host {host!r}.")
    for text in found:
        if not address_allowed(ipaddress.ip_address(text.split("%")[0])):
            raise FeedError(
                "This address points inside a private network; give your calendar's public "
                "feed address."
            )
    return found


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _read_capped(response: http.client.HTTPResponse, deadline: float) -> bytes:
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FeedError("The calendar took too long to download.")
        chunk = response.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise FeedError(f"The calendar is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        chunks.append(chunk)


def fetch(url: str, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The feed's bytes, by the rules above; FeedError with a message for the member."""
    deadline = time.monotonic() + 3 * timeout
    current = normalise(url)
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        scheme = parts.scheme.lower()
        port = parts.port or PORTS[scheme][0]
        address = _addresses(parts.hostname, port)[0]
        kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        conn = kind(parts.hostname, port, address, timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "text/calendar"})
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location", "")
                if not location:
                    raise FeedError("The calendar server sent a redirect without an address.")
                current = normalise(urljoin(current, location))
                continue
            if response.status != 200:
                raise FeedError(f"The calendar server answered {response.status}.")
            return _read_capped(response, deadline)
        except FeedError:
            raise
        except (OSError, ValueError, http.client.HTTPException) as exc:
            raise FeedError("We could not download the calendar; check the address.") from exc
        finally:
            conn.close()
    raise FeedError("The calendar address redirects too many times.")
