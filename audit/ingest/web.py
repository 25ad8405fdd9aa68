"""Fetching http(s) pages and RSS/Atom feeds, safely.

- Only ``http``/``https``; no proxies (a proxy would hide where we really connect).
- Unless ``allow_private=True``, the host is resolved and *every* address it resolves to
  must be public (not private, loopback, link-local, multicast, reserved or unspecified);
  each redirect target is checked again, and the address actually connected to is checked
  once more after ``connect()`` (so DNS that changes between the check and the connection
  cannot reach an internal address).
- A timeout on every socket operation plus an overall deadline, and a size cap
  (``Content-Length`` checked first, then the bytes actually read).
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from typing import NamedTuple

DEFAULT_MAX_BYTES = 10_000_000
MAX_REDIRECTS = 5
USER_AGENT = "newsaudit/0.1 (+https://github.com/newsaudit; media sourcing audit)"


class FetchError(OSError):
    """A URL could not be fetched (unreachable, HTTP error, too large, timed out)."""


class UnsafeURLError(FetchError):
    """A URL that points at a private, loopback, link-local or otherwise non-public address."""


# The way out a user has, named in refusals: the setting of both shells that fetch URLs
# (``newsaudit run`` and ``newsaudit serve``), not this module's keyword argument.
ALLOW_PRIVATE_HINT = "private addresses are fetched only with --allow-private-urls (newsaudit run or serve)"


class Fetched(NamedTuple):
    content: bytes
    content_type: str      # media type without parameters, lower case ("text/html")
    url: str = ""          # final URL after redirects
    charset: str = ""      # charset parameter of Content-Type, if any


# --- address checks ------------------------------------------------------------------

def _bad_ip(ip: str) -> str:
    """Why an address is not public, or "" if it is."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return f"unparseable address {ip!r}"
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    for attr, what in (
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_private", "private"),
        ("is_multicast", "multicast"),
        ("is_unspecified", "unspecified"),
        ("is_reserved", "reserved"),
    ):
        if getattr(addr, attr):
            return f"{what} address {addr}"
    if not addr.is_global:
        return f"non-public address {addr}"
    return ""


def check_url(url: str, *, allow_private: bool = False) -> urllib.parse.SplitResult:
    """Validate scheme and host; unless ``allow_private``, every resolved address must be public."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"invalid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"unsupported URL scheme {parts.scheme!r} (only http and https)")
    host = parts.hostname
    if not host:
        raise FetchError("URL has no host")
    if allow_private:
        return parts
    try:
        infos = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"cannot resolve host {host!r} ({exc})") from None
    addrs = sorted({info[4][0] for info in infos})
    if not addrs:
        raise FetchError(f"host {host!r} resolves to no address")
    for ip in addrs:
        why = _bad_ip(ip)
        if why:
            raise UnsafeURLError(f"refusing {host!r}: it resolves to a {why}; {ALLOW_PRIVATE_HINT}")
    return parts


# --- urllib plumbing with checks at every hop --------------------------------------

def _checked_create_connection(allow_private: bool):
    def create(address, *args, **kw):
        sock = socket.create_connection(address, *args, **kw)
        if not allow_private:
            try:
                peer = sock.getpeername()[0]
            except OSError:
                peer = ""
            why = _bad_ip(peer) if peer else "unknown peer address"
            if why:
                sock.close()
                raise UnsafeURLError(f"refusing connection to {address[0]!r}: {why}; {ALLOW_PRIVATE_HINT}")
        return sock

    return create


def _handlers(allow_private: bool):
    create = _checked_create_connection(allow_private)

    class _HTTPConnection(http.client.HTTPConnection):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self._create_connection = create

    class _HTTPSConnection(http.client.HTTPSConnection):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self._create_connection = create

    class _HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(_HTTPConnection, req)

    class _HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            kw = {"context": self._context}
            if getattr(self, "_check_hostname", None) is not None:  # Python < 3.12 only
                kw["check_hostname"] = self._check_hostname
            return self.do_open(_HTTPSConnection, req, **kw)

    class _Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS

        def redirect_request(self, req, fp, code, msg, headers, newurl):
            check_url(newurl, allow_private=allow_private)  # re-check every hop
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return [urllib.request.ProxyHandler({}), _HTTPHandler(), _HTTPSHandler(), _Redirects()]


def fetch_url(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = 20.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Fetched:
    """GET ``url``; ``Fetched(content, content_type, url, charset)`` or ``FetchError``/``UnsafeURLError``."""
    check_url(url, allow_private=allow_private)
    opener = urllib.request.build_opener(*_handlers(allow_private))
    req = urllib.request.Request(url, headers={
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
    })
    deadline = time.monotonic() + timeout * 3
    try:
        with opener.open(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"too large: {int(length):,} bytes (limit {max_bytes:,})")
            chunks, total = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {timeout * 3:.0f} s reading the response")
                chunk = resp.read(65536)
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise FetchError(f"too large: more than {max_bytes:,} bytes")
                chunks.append(chunk)
            ctype = resp.headers.get_content_type() or ""
            charset = resp.headers.get_content_charset() or ""
            return Fetched(b"".join(chunks), ctype.lower(), resp.geturl() or url, charset)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, FetchError):
            raise reason from None
        raise FetchError(f"unreachable ({reason})") from None
    except (TimeoutError, socket.timeout):
        raise FetchError(f"timed out after {timeout:g} s") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchError(f"fetch failed ({exc.__class__.__name__}: {exc})") from None


# --- feeds -----------------------------------------------------------------------

class FeedItem(NamedTuple):
    link: str
    title: str = ""
    published: str = ""
    summary: str = ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def looks_like_feed(content: bytes, content_type: str = "") -> bool:
    if content_type in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return True
    head = content[:2048].lstrip().lower()
    if content_type in ("application/xml", "text/xml") or head.startswith(b"<?xml"):
        return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head
    return False


def parse_feed(content: bytes) -> list[FeedItem]:
    """Items of an RSS 2.0 / RSS 1.0 / Atom feed. Raises ``ValueError`` if it is not one."""
    if b"<!DOCTYPE" in content[:4096].upper() or b"<!ENTITY" in content[:65536].upper():
        raise ValueError("feed with a DTD refused (entity expansion)")
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise ValueError(f"not a valid XML feed ({exc})") from None
    if _local(root.tag) not in ("rss", "feed", "rdf"):
        raise ValueError(f"not an RSS/Atom feed (root element <{_local(root.tag)}>)")
    items = []
    for el in root.iter():
        if _local(el.tag) not in ("item", "entry"):
            continue
        link = title = published = summary = ""
        for ch in el:
            name = _local(ch.tag)
            text = (ch.text or "").strip()
            if name == "link":
                href = ch.get("href")
                if href and ch.get("rel", "alternate") == "alternate":
                    link = link or href.strip()
                elif text:
                    link = link or text
            elif name == "guid" and text.startswith("http") and ch.get("isPermaLink", "true") != "false":
                link = link or text
            elif name == "title":
                title = text
            elif name in ("pubdate", "published", "updated", "date") and not published:
                published = text
            elif name in ("description", "summary", "encoded", "content") and len(text) > len(summary):
                summary = text
        if link:
            items.append(FeedItem(link, title, published, summary))
    return items
