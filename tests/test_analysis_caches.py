"""The analyzers' caches and indexes (issue 24: no repeated work) give exactly what the plain
computation gives: the document text read once, per-document memos, the mention index behind
``actor_at``, the lexicon engine's word memo, the loaded-wording phrase index, the sentiment
layer's quotation and sentence memos, and batched vs one-by-one analysis."""
from __future__ import annotations

import gc
import random

import pytest

from audit.analyzers import claims as C
from audit.analyzers import loaded as L
from audit.analyzers import sentiment as S
from audit.analyzers.actors import actor_at
from audit.analyzers.doctext import doc_memo, doc_text
from audit.findings import Actor, Mention

TEXT = (
    'Mayor Ana Ruiz said on Monday that the plan was "a disaster for the city" and "a power grab".\n\n'
    "The council disputed that account. “We will not back down,” said council leader Tom Berg, "
    "who called the deal a sweetheart deal.\n\n"
    "Ruiz, 54, has led the city since 2019. She was praised by residents; critics slammed her budget."
)


# --- doc_text and doc_memo ------------------------------------------------------------------------

def test_doc_text_is_the_docs_text_and_is_kept_per_doc(nlp):
    a, b = nlp(TEXT), nlp("Another text.")
    assert doc_text(a) == a.text and doc_text(b) == b.text
    assert doc_text(a) is doc_text(a)  # joined once
    span = a[0:3]  # not a Doc: its own text, nothing kept
    assert doc_text(span) == span.text


def test_doc_text_forgets_a_collected_doc(nlp):
    from audit.analyzers import doctext

    before = len(doctext._TEXTS)
    doc = nlp("A short text that goes away.")
    doc_text(doc)
    assert len(doctext._TEXTS) == before + 1
    del doc
    gc.collect()
    assert len(doctext._TEXTS) == before


def test_doc_memo_is_per_document_and_per_name(nlp):
    a, b = nlp("One."), nlp("One.")
    m = doc_memo(a, "x")
    m["k"] = 1
    assert doc_memo(a, "x") is m
    assert doc_memo(a, "y") == {} and doc_memo(b, "x") == {}
    assert doc_memo(5, "x") == {}  # not weak-referenceable: nothing kept


# --- actor_at: the mention index finds what the linear scan finds ---------------------------------

def _random_actors(rng: random.Random, n_actors: int, n_mentions: int) -> tuple:
    out = []
    for k in range(n_actors):
        ms = []
        for _ in range(rng.randint(1, n_mentions)):
            s = rng.randint(0, 300)
            ms.append(Mention(span=(s, s + rng.randint(1, 25)), text="x", kind="name"))
        out.append(Actor(key=f"person:{k}", name=f"P{k}", type="person", mentions=tuple(ms)))
    return tuple(out)


@pytest.mark.parametrize("seed", range(12))
def test_actor_at_index_matches_the_linear_scan(seed):
    rng = random.Random(seed)
    actors = _random_actors(rng, rng.randint(1, 12), 8)
    for _ in range(300):
        s = rng.randint(-10, 330)
        span = (s, s + rng.randint(-3, 30))  # empty and reversed spans too
        # a generator takes the plain linear scan: the reference
        assert actor_at(span, actors) == actor_at(span, iter(actors)), span


def test_actor_at_ties_go_to_the_earlier_actor_and_nothing_matches_nothing():
    m = Mention(span=(10, 20), text="Ruiz", kind="name")
    a = Actor(key="person:a", name="A", type="person", mentions=(m,))
    b = Actor(key="person:b", name="B", type="person", mentions=(m,))
    assert actor_at((12, 15), (a, b)) is a and actor_at((12, 15), (b, a)) is b
    assert actor_at((20, 30), (a, b)) is None and actor_at(None, (a,)) is None
    assert actor_at((12, 15), ()) is None


def test_actor_at_sees_a_changed_list():
    m1 = Mention(span=(0, 5), text="Ruiz", kind="name")
    m2 = Mention(span=(0, 5), text="Ruiz", kind="name")
    a = Actor(key="person:a", name="A", type="person", mentions=(m1,))
    b = Actor(key="person:b", name="B", type="person", mentions=(m2,))
    actors = [a]
    assert actor_at((0, 5), actors) is a
    actors[0] = b  # same list, other actor: the index is rebuilt
    assert actor_at((0, 5), actors) is b
    actors.insert(0, a)
    assert actor_at((0, 5), actors) is a


# --- the lexicon engine's word memo ---------------------------------------------------------------

def _plain_score(scorer, sent):
    """The lexicon engine's score of one sentence computed without the memo."""
    base = sent.start_char
    words = [(t.idx - base, t.idx - base + len(t.text), scorer.word_probability(t)) for t in sent if L.is_candidate(t)]
    return L.sentence_probability(scorer.sentence_model, [w[2] for w in words]), words


def test_lexicon_memo_gives_the_plain_scores(nlp, monkeypatch):
    scorer = L.LexiconScorer(L.read_lexicon())
    doc = nlp(TEXT + "\n\nThe 3 regimes' so-called experts slammed 2,000 claims -- again!")
    sents = list(doc.sents)
    plain = [_plain_score(scorer, s) for s in sents]
    assert scorer(sents) == plain
    assert scorer(sents) == plain  # from the memo
    assert scorer._memo  # it was used
    monkeypatch.setattr(L.LexiconScorer, "MEMO_SIZE", 3)  # cleared over and over
    small = L.LexiconScorer(L.read_lexicon())
    assert small(sents) == plain and len(small._memo) <= 3


def test_lexicon_memo_tells_the_same_word_apart_by_lemma_and_part_of_speech(nlp):
    scorer = L.LexiconScorer(L.read_lexicon())
    doc = nlp("They attack the plan. The attack failed. Critics attacked it.")
    assert scorer(list(doc.sents)) == [_plain_score(scorer, s) for s in doc.sents]
    keys = {k for k in scorer._memo if doc.vocab.strings[k[0]].lower() == "attack"}
    assert len(keys) == 2  # the verb and the noun: two entries


# --- loaded wording: the phrase index finds what a scan of every phrase finds ----------------------

def _scan(words):
    out = []
    for phrase in C._LOADED:
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i:i + n]) == phrase:
                out.append((i, n))
    return sorted(out)


@pytest.mark.parametrize("words", [
    "the mayor called it a power grab and a cover up".split(),
    "a sweetheart deal for cronies".split(),
    "the committee approved the budget on tuesday".split(),   # nothing
    [],
    ["grab"], ["power"],                                      # a phrase cut at the end
])
def test_phrase_hits_match_the_scan(words):
    assert sorted(C.phrase_hits(words)) == _scan(words)


def test_phrase_hits_match_the_scan_on_random_word_lists():
    rng = random.Random(7)
    vocab = sorted({w for p in C._LOADED for w in p} | {"the", "a", "said", "plan"})
    for _ in range(300):
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 15))]
        assert sorted(C.phrase_hits(words)) == _scan(words)


def test_phrase_hits_with_the_same_phrase_listed_twice_find_it_twice():
    by_first = {"power": [("power", "grab"), ("power", "grab")]}
    assert C.phrase_hits(["a", "power", "grab"], by_first) == [(1, 2), (1, 2)]


# --- sentiment: quotation and sentence memos ------------------------------------------------------

def _plain_in_quote(doc, i):
    inside = False
    for t in doc[i].sent:
        if t.i >= i:
            return inside
        if t.text == '"':
            inside = not inside
        elif t.text == "“":
            inside = True
        elif t.text == "”":
            inside = False
    return inside


def test_in_quote_memo_matches_the_plain_scan(nlp):
    doc = nlp(TEXT)
    assert [S._in_quote(doc, t.i) for t in doc] == [_plain_in_quote(doc, t.i) for t in doc]
    assert any(S._in_quote(doc, t.i) for t in doc) and not all(S._in_quote(doc, t.i) for t in doc)


def test_clean_sentence_memo_matches_a_fresh_document(nlp):
    doc, fresh = nlp(TEXT), nlp(TEXT)
    spans = [(t.idx, t.idx + len(t.text)) for t in doc] + [(0, len(TEXT)), (5, 5)]
    first = [S._clean_sentence(doc, sp, TEXT) for sp in spans]
    assert [S._clean_sentence(doc, sp, TEXT) for sp in spans] == first  # from the memo
    assert [S._clean_sentence(fresh, sp, TEXT) for sp in reversed(spans)] == list(reversed(first))


# --- batched analysis: the same findings whatever the batch ---------------------------------------

def test_findings_do_not_depend_on_what_was_analysed_before(nlp):
    """The memos are per document and per word: analysing other articles first, or the same
    article twice, changes nothing (lexicon engine, no model files needed)."""
    from audit.analyze import analyze_docs
    from audit.ingest.article import Article

    texts = [TEXT, "Officials said the plan, a so-called reform, was a cover-up. \"It is a scandal,\" she said.",
             "The vote passed 7-2 on Tuesday."]
    arts = [Article.build(t) for t in texts]
    alone = [analyze_docs([(nlp(t), a, ())], sentiment_engine="lexicon")[0] for t, a in zip(texts, arts)]
    together = analyze_docs([(nlp(t), a, ()) for t, a in zip(texts, arts)], sentiment_engine="lexicon")
    again = analyze_docs([(nlp(t), a, ()) for t, a in zip(texts, arts)][::-1], sentiment_engine="lexicon")[::-1]
    assert alone == together == again


# --- the process pool: the same findings as one process, articles kept in the parent ---------------

POOL_TEXTS = [
    TEXT,
    "The company denied the report. A spokesman, who asked not to be named, said the figures were wrong.",
    "Shares in Calder fell 4% after the regulator said it would review the merger, Reuters reported.",
    "",  # an empty body: its error comes back in its place
    "President Lee said the economy grew. He added that unemployment had fallen to 3.1 percent.",
    "Residents said the river flooded twice this year. \"We are tired,\" one of them said.",
]


def test_process_pool_gives_the_findings_of_one_process():
    from audit.executors import analyze_articles
    from audit.ingest.article import Article

    arts = [Article.build(t or " ", origin=f"t{k}") for k, t in enumerate(POOL_TEXTS)]
    one = list(analyze_articles(arts, workers=1, batch_size=2, sentiment_engine="lexicon"))
    two = list(analyze_articles(arts, workers=2, batch_size=2, sentiment_engine="lexicon"))
    assert [a for a, _, _ in two] == arts and all(a is b for (a, _, _), b in zip(two, arts))  # the parent's own
    assert [(r, e) for _, r, e in two] == [(r, e) for _, r, e in one]
    assert sum(r is not None for _, r, _ in two) >= 5


# --- the shared quotation spans and the token-kind index ----------------------------------------

QUOTE_TEXTS = [
    TEXT,
    "No quotation here at all.",
    '“An open quote runs on\n\n“and reopens in the next paragraph,” she said. He said "yes" and ``no\'\'.',
    "Wire copy uses ``backticks'' and '' stray marks; «guillemets» too.",
]


@pytest.mark.parametrize("text", QUOTE_TEXTS)
def test_doc_quote_spans_are_the_texts_quote_spans_found_once(nlp, text):
    from audit.analyzers.attribution.helpers import doc_quote_spans, quote_spans

    doc = nlp(text)
    assert doc_quote_spans(doc) == quote_spans(doc.text)
    assert doc_quote_spans(doc) is doc_quote_spans(doc)  # one list per document, shared
    other = nlp(text + " Another sentence with \"a quote of its own\".")
    assert doc_quote_spans(other) == quote_spans(other.text)


@pytest.mark.parametrize("attr,keep", [
    ("POS", ("PRON",)), ("POS", ("NOUN", "PROPN")), ("POS", ("VERB",)), ("POS", ("INTJ",)),
    ("TAG", ("PRP", "PRP$")), ("TAG", ("VBN",)), ("TAG", ("NO-SUCH-TAG",)), ("LOWER", ("alleged", "yes")),
    ("LEMMA", lambda s: s.lower() in {"say", "name", "council"}),
])
@pytest.mark.parametrize("text", QUOTE_TEXTS + ["", "Yes."])
def test_token_indices_match_the_token_scan(nlp, attr, keep, text):
    from audit.analyzers.doctext import token_indices

    doc = nlp(text)
    value = {"POS": lambda t: t.pos_, "TAG": lambda t: t.tag_, "LEMMA": lambda t: t.lemma_, "LOWER": lambda t: t.lower_}[attr]
    test = keep if callable(keep) else (lambda s: s in keep)
    expected = [t.i for t in doc if test(value(t))]
    assert token_indices(doc, attr, keep) == expected
    assert token_indices(doc, attr, keep) == expected  # second call: the kept array


def test_local_runs_settle_the_long_lived_objects_once(monkeypatch):
    """The in-process executor freezes what its first batch leaves loaded, once per process."""
    import gc

    from audit import executors
    from audit.ingest.article import Article

    calls = []
    monkeypatch.setattr(executors, "_settled", False)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append("collect") or 0)
    arts = [Article.build(f"Mayor Ana Ruiz said the plan number {k} was a disaster.") for k in range(3)]
    out = list(executors.Local().analyze(iter(arts), batch_size=1, sentiment_engine="lexicon"))
    assert len(out) == 3 and all(err is None for _a, _r, err in out)
    assert calls == ["collect", "freeze"]
