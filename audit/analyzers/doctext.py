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


def token_indices(doc, attr: str, keep) -> list[int]:
    """Indices, in text order, of ``doc``'s tokens whose ``attr`` (a spaCy attribute name:
    ``"POS"``, ``"TAG"``, ``"LEMMA"``, ...) as a string is in ``keep`` (a collection of
    strings, or a predicate on the string): what ``[t.i for t in doc if t.pos_ in keep]``
    gives, read from one array per attribute per document instead of a Python object per
    token, so a pass that looks at a few kinds of token skips the rest unseen."""
    import numpy as np

    memo = doc_memo(doc, "doctext.arrays")
    arr = memo.get(attr)
    if arr is None:
        arr = memo[attr] = doc.to_array(attr)
    test = keep if callable(keep) else keep.__contains__
    strings = doc.vocab.strings
    wanted = [v for v in np.unique(arr).tolist() if test(strings[v])]
    if not wanted:
        return []
    return np.flatnonzero(np.isin(arr, wanted)).tolist()
