"""``doc_text(doc)``: a parsed document's text, read once.

spaCy's ``Doc.text`` re-joins every token on each access (about half a millisecond for a
news article), and the analyzers read it many times per article: once per helper, and in
some helpers once per candidate or per actor. ``doc_text`` keeps the joined text beside
the ``Doc`` in a weak-keyed map, so the text is built once per document and forgotten
when the ``Doc`` is. A ``Doc``'s text never changes once parsed (the analyzers only read
it), so the cached text is always the document's.
"""
from __future__ import annotations

import weakref

_TEXTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def doc_text(doc) -> str:
    """``doc.text``, joined once per ``Doc`` (any other object: its ``.text``)."""
    try:
        return _TEXTS[doc]
    except KeyError:
        pass
    except TypeError:  # not weak-referenceable (a Span, a stand-in in a test)
        return doc.text
    text = doc.text
    try:
        _TEXTS[doc] = text
    except TypeError:
        pass
    return text


_MEMOS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def doc_memo(doc, name: str) -> dict:
    """A dict kept beside ``doc`` under ``name``, for results an analyzer computes from the
    document alone and asks for again (a sentence's quotation marks, a mention's sentence);
    forgotten with the ``Doc``. An object that cannot be weakly referenced gets a fresh dict
    (nothing is remembered)."""
    try:
        memos = _MEMOS.get(doc)
        if memos is None:
            memos = _MEMOS[doc] = {}
    except TypeError:
        return {}
    memo = memos.get(name)
    if memo is None:
        memo = memos[name] = {}
    return memo
