"""Which articles a listing or export covers, checked, and why a selection is empty.

The CLI (``--outlet/--from/--to/--search``) and the dashboard (``?outlet=&from=&to=&q=``)
both build their ``ArticleFilter`` through ``make_filter``, so a bad date is refused with
the same one-line message everywhere; ``why_empty`` says, in one sentence, why a filter
that selects nothing selects nothing (an empty store, an outlet the store does not have,
dates outside the store's range, a search that matches no title).
"""
from __future__ import annotations

from datetime import date

from .store import ArticleFilter


class FilterError(ValueError):
    """A filter value that cannot be used (the message names the value and the fix)."""


def parse_date(value: str, name: str) -> str:
    """``value`` as an ISO date (``YYYY-MM-DD``), or ``""`` when empty; else ``FilterError``."""
    v = (value or "").strip()
    if not v:
        return ""
    try:
        if len(v) != 10:
            raise ValueError
        return date.fromisoformat(v).isoformat()
    except ValueError:
        raise FilterError(f"{name} {v[:40]!r} is not a date: give it as YYYY-MM-DD, e.g. 2026-03-01") from None


def make_filter(outlets=(), date_from: str = "", date_to: str = "", search: str = "", article_ids=(), *,
                names: tuple[str, str] = ("--from", "--to")) -> ArticleFilter:
    """A checked ``ArticleFilter``; ``names`` are the two date options as the user typed them."""
    start, end = parse_date(date_from, names[0]), parse_date(date_to, names[1])
    if start and end and start > end:
        raise FilterError(f"{names[0]} {start} is after {names[1]} {end}: swap them")
    return ArticleFilter(outlets=tuple(o for o in outlets or () if o), date_from=start, date_to=end,
                         search=(search or "").strip(), article_ids=tuple(i for i in article_ids or () if i))


def _closest(name: str, choices: list[str]) -> str:
    import difflib

    found = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if not found:
        low = name.casefold()
        found = [c for c in choices if low and (low in c.casefold() or c.casefold() in low)][:1]
    return found[0] if found else ""


def why_empty(store, flt: ArticleFilter | None = None) -> str:
    """One sentence on why ``flt`` selects no article of ``store`` ("" when it selects some)."""
    flt = flt or ArticleFilter()
    if store.count_articles(flt):
        return ""
    total = store.count_articles()
    if not total:
        return "The store has no articles yet: audit some first (newsaudit run FILES…, or the Audit page)."
    reasons = []
    if flt.outlets:
        known = [o for o in store.outlets() if o]
        missing = [o for o in flt.outlets if o not in known]
        for o in missing:
            near = _closest(o, known)
            hint = f" (did you mean {near!r}?)" if near else ""
            reasons.append(f"no outlet is called {o!r}{hint}")
        if missing and len(missing) == len(flt.outlets):
            shown = ", ".join(repr(k) for k in known[:8]) + (", …" if len(known) > 8 else "")
            return (f"None of the {total} stored articles match: " + "; ".join(reasons)
                    + f". Outlets in the store: {shown or 'none named'}.")
    if flt.date_from or flt.date_to:
        totals = store.totals()
        first, last = totals["first_date"], totals["last_date"]
        span = f"{flt.date_from or '…'} to {flt.date_to or '…'}"
        if not first:
            reasons.append(f"no stored article has a publication date, so none falls in {span}")
        elif not store.count_articles(ArticleFilter(date_from=flt.date_from, date_to=flt.date_to)):
            reasons.append(f"no article was published from {span} (stored dates run from {first} to {last})")
    if flt.search and not store.count_articles(ArticleFilter(search=flt.search)):
        reasons.append(f"no title, outlet or id contains {flt.search!r}")
    if flt.article_ids and not store.count_articles(ArticleFilter(article_ids=flt.article_ids)):
        reasons.append("none of the chosen article ids is in the store")
    if not reasons:
        reasons.append("each condition matches some articles, but no article meets them all")
    return f"None of the {total} stored articles match: " + "; ".join(reasons) + ". Widen or clear the filter."
