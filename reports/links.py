"""Links to article URLs, the one place that decides whether a URL may become a link.

An article's URL comes from the input (a corpus field, a page's canonical link, a feed
item); only ``http``/``https`` URLs are rendered as links, anything else
(``javascript:``, ``data:``, ``file:``, relative or malformed) is shown as text. The
dashboard's templates and the HTML report both use the ``link`` filter registered by
``register``.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

# scheme, "//", a host; no whitespace or control character anywhere (browsers drop some of
# them inside a URL, so "java\tscript:" and "ht\ntp://" must not pass for what they are not)
_HTTP_URL = re.compile(r"https?://[^\s/?#@\\]+(?:[/?#][^\s]*)?", re.IGNORECASE | re.ASCII)
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


def http_url(value) -> str:
    """``value`` if it is an absolute http(s) URL fit for an ``href``, else ""."""
    if not isinstance(value, str) or _CONTROL.search(value) or not _HTTP_URL.fullmatch(value):
        return ""
    return value


def link(url, label=None) -> Markup:
    """``<a href=url>label</a>`` for an http(s) URL; otherwise the label and the URL as text.

    ``label`` defaults to the URL itself; an empty URL gives the label alone."""
    shown = url if label is None else label
    if http_url(url):
        return Markup('<a href="{}" rel="noopener noreferrer nofollow">{}</a>').format(url, shown)
    if not url or label is None:
        return escape("" if shown is None else shown)
    return Markup('{} <span class="not-a-link" title="not an http(s) address, so not a link">({})</span>').format(label, url)


def register(env) -> None:
    """Add the ``link`` filter to a Jinja environment."""
    env.filters["link"] = link
