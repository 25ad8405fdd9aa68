"""The Article record every input form is turned into."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..findings import Span


def content_id(text: str, title: str = "", outlet: str = "") -> str:
    """Stable id: a hash of the content, so the same article gets the same id on every run."""
    h = hashlib.sha256()
    for part in (outlet, title, text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    id: str                                  # content hash (content_id)
    text: str                                # body text that is parsed; all offsets refer to it
    external_id: str | None = None           # the input's own id (JSONL/CSV "id")
    outlet: str = ""
    section: str = ""
    title: str = ""
    author: str = ""
    published: str = ""                      # ISO date (YYYY-MM-DD or full timestamp) or ""
    url: str = ""
    captions: tuple[str, ...] = ()           # photo captions (with their credit)
    subheads: tuple[str, ...] = ()           # section heads, kept as structure
    boilerplate: tuple[str, ...] = ()        # page chrome removed from the body
    skip_spans: tuple[Span, ...] = ()        # spans of ``text`` excluded from every score
    origin: str = ""                         # path or URL it came from (with ":line" for corpora)

    @classmethod
    def build(cls, text: str, **kw) -> "Article":
        aid = content_id(text, kw.get("title", ""), kw.get("outlet", ""))
        return cls(id=aid, text=text, **kw)

    def build_fields(self) -> dict:
        """Every field but ``id`` and ``text``: what ``Article.build(text, **...)`` takes to
        rebuild this article around a (changed) text or with changed fields."""
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d.pop("id")
        d.pop("text")
        return d


@dataclass(frozen=True)
class IngestError:
    """An input that could not be turned into an article."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"
