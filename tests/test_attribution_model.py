"""The learned long-tail attribution scorer: the shipped model, its scoring, and training."""
from __future__ import annotations

import json

import pytest

from audit.analyzers.attribution import find_attributions
from audit.analyzers.attribution.model import CueModel, child_features, cue_features, load_model


def test_shipped_model_loads_with_sane_thresholds():
    m = load_model()
    assert m is not None, "audit/data/attribution_cue_model.json is missing from the package"
    assert 0 < m.threshold < 1 and 0 < m.child_threshold < 1
    # rule lemmas with deliberate restrictions stay with the rules ...
    assert "seem" not in m.lemmas and "find" not in m.lemmas and "decline" not in m.lemmas
    assert "endorse" in m.lemmas  # ... the long tail is the model's


@pytest.mark.parametrize("content, problem", [("{not json", "JSONDecodeError"), ('{"version": 1}', "KeyError")])
def test_an_unreadable_model_warns_and_leaves_the_rules(tmp_path, monkeypatch, content, problem):
    bad = tmp_path / "model.json"
    bad.write_text(content, encoding="utf-8")
    monkeypatch.setenv("NEWSAUDIT_ATTRIBUTION_MODEL", str(bad))
    load_model.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match=f"{bad}.*{problem}.*rules alone"):
            assert load_model() is None
    finally:
        load_model.cache_clear()


def test_the_model_can_be_switched_off(monkeypatch, nlp):
    monkeypatch.setenv("NEWSAUDIT_ATTRIBUTION_MODEL", "off")
    load_model.cache_clear()
    try:
        assert load_model() is None
        doc = nlp("The research documented faster increases in temperatures.")
        assert find_attributions(doc) == []  # the learned family is off; the rules find nothing here
    finally:
        load_model.cache_clear()


def test_features_describe_the_construction(nlp):
    doc = nlp("Federal prosecutors charged two developers with fraud.")
    cue = doc[2]
    f = cue_features(cue)
    assert "l=charge" in f and "c=dobj" in f and "c=prep:with" in f and "s=noun:NOUN" in f
    obj = doc[4]
    assert "k=dobj" in child_features(cue, obj)


def test_cue_context_says_where_the_rules_already_found_attributions(nlp):
    from audit.analyzers import attribution as att
    from spacy.strings import get_string_id

    doc = nlp("Officials said prosecutors charged the developers. Workers charged the batteries overnight.")
    cands = att.rule_candidates(doc)
    ids = frozenset(get_string_id(w) for w in ("charge", "say"))
    seen = [(tok.i, ctx) for tok, ctx in att.cue_model_tokens(doc, cands, ids, att.quote_spans(doc.text))]
    # "said" is a rule's cue, never the model's; the first "charged" is nested in its content
    assert seen == [(3, (True, True)), (8, (False, False))]
    f = cue_features(doc[3], seen[0][1])
    assert "ctx=in" in f and "lctx=charge|in" in f and "ctxs=rs" in f
    assert not any(x.startswith("ctx") for x in cue_features(doc[3]))


def test_a_passive_subject_can_be_learned_content(nlp):
    # "The remarks were denounced by the chairman": what was denounced is the subject
    data = {"version": 0, "threshold": 0.5, "child_threshold": 0.5, "lemmas": ["denounce"],
            "cue": {"b": 5.0}, "child": {"b": -5.0, "k=nsubjpass": 10.0}}
    doc = nlp("The remarks were denounced by the chairman of the party.")
    found = find_attributions(doc, cue_model=CueModel(data))
    assert len(found) == 1
    a = found[0]
    assert [doc.text[s:e] for s, e in a.content] == ["The remarks"]
    assert doc.text[a.source[0]:a.source[1]].endswith("the chairman of the party")
    # an active subject stays the source, never content
    doc = nlp("The chairman denounced the remarks.")
    assert all("chairman" not in doc.text[s:e] for a in find_attributions(doc, cue_model=CueModel(data))
               for s, e in a.content)


def test_keep_features_see_the_construction_around_the_cue(nlp):
    from audit.analyzers.attribution.model import keep_features

    doc = nlp("Officials said the talks had stalled.")
    (a,) = find_attributions(doc, cue_model=None)
    f = keep_features(doc, a)
    assert "form=indirect" in f and "cl=say" in f
    assert "k:l=say" in f and "k:c=ccomp:had" in f and "k:s=noun:NOUN" in f


def test_an_empty_model_finds_nothing_new(nlp):
    empty = CueModel({"version": 0, "threshold": 0.5, "child_threshold": 0.5, "cue": {}, "child": {},
                      "lemmas": ["charge"]})
    doc = nlp("Federal prosecutors charged two developers with fraud.")
    # every score is sigmoid(0) = 0.5: at the threshold, so the cue is taken, but no dependent
    # is content (0.5 is not above a 0.6 content threshold)
    empty.child_threshold = 0.6
    assert find_attributions(doc, cue_model=empty) == []


def test_keep_scorer_judges_parse_readings_only(nlp):
    data = {"version": 0, "threshold": 0.5, "child_threshold": 0.5, "cue": {}, "child": {}, "lemmas": [],
            "keep": {"b": -10.0}, "keep_threshold": 0.5}
    doc = nlp('Officials said the talks had stalled. "We are done here for now," Smith said.')
    rules = find_attributions(doc, cue_model=None)
    assert {a.form for a in rules} == {"indirect", "direct"}
    strict = CueModel(data)
    # a scorer that rejects everything drops the indirect reading, never the quotation
    assert [a.form for a in find_attributions(doc, cue_model=strict)] == ["direct"]
    strict.keep_threshold = 0.0
    assert len(find_attributions(doc, cue_model=strict)) == 2


def _article(i: int) -> dict:
    text = (f"Federal prosecutors charged developer number {i} with defrauding investors. "
            f"The council documented rising rents on Monday. Workers charged the batteries overnight. "
            f"The river rose after the storm.")
    s1, e1 = text.index("developer"), text.index(" investors") + len(" investors")
    s2, e2 = text.index("rising"), text.index(" rents") + len(" rents")
    cue1, cue2 = text.index("charged"), text.index("documented")
    src2 = text.index("The council")
    return {"id": f"t{i}", "text": text, "attributions": [
        {"source": [0, 19], "cue": [cue1, cue1 + 7], "content": [s1, e1], "content_spans": [[s1, e1]],
         "cue_spans": [[cue1, cue1 + 7]]},
        {"source": [src2, src2 + 11], "cue": [cue2, cue2 + 10], "content": [s2, e2], "content_spans": [[s2, e2]],
         "cue_spans": [[cue2, cue2 + 10]]},
    ]}


def test_training_writes_a_model_that_finds_the_taught_cues(tmp_path, nlp):
    pytest.importorskip("sklearn")
    from audit.training.attribution import train

    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(_article(i)) + "\n" for i in range(12)), encoding="utf-8")
    out = tmp_path / "model.json"
    assert train.main([str(gold), "--out", str(out), "--folds", "3", "--min-count", "1",
                       "--min-lemma", "1", "--c", "10"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"charge", "document"} <= set(data["lemmas"])
    assert data["articles"] == 12 and data["cross_validation"]["folds"] == 3
    model = CueModel(data)
    doc = nlp("Federal prosecutors charged developer number 99 with defrauding investors.")
    found = find_attributions(doc, cue_model=model)
    assert any(a.cue_text == "charged" and "defrauding investors" in a.content_text for a in found), found
    assert find_attributions(nlp("Workers charged the batteries overnight."), cue_model=model) == []
    assert find_attributions(nlp("The river rose after the storm."), cue_model=model) == []


def test_training_refuses_a_parse_of_other_texts(tmp_path, nlp):
    pytest.importorskip("sklearn")
    from spacy.tokens import DocBin

    from audit.training.attribution import train

    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(_article(1)) + "\n", encoding="utf-8")
    db = DocBin()
    db.add(nlp("Some other text."))
    db.to_disk(tmp_path / "docs.spacy")
    with pytest.raises(SystemExit, match="not a parse of"):
        train.main([str(gold), "--out", str(tmp_path / "m.json"), "--docs", str(tmp_path / "docs.spacy")])


def test_findings_say_how_they_were_found(nlp):
    text = ('Federal prosecutors charged the developers with defrauding investors. '
            'Officials said the talks had stalled. "We are done here for now," Smith said.')
    atts = {a.cue_text: a for a in find_attributions(nlp(text))}
    assert atts["charged"].found_by == "model" and 0 < atts["charged"].confidence <= 1
    said = [a for a in find_attributions(nlp(text)) if a.cue_text == "said"]
    indirect = next(a for a in said if a.form == "indirect")
    direct = next(a for a in said if a.form == "direct")
    assert indirect.found_by == "rule" and 0 < indirect.confidence <= 1
    assert direct.found_by == "rule" and direct.confidence is None  # quotations are not judged


def test_provenance_reaches_the_tables():
    from audit.analyze import analyze_doc
    from audit.ingest.article import Article
    from audit.nlp import load_nlp
    from audit.tables import rows_for

    text = "Federal prosecutors charged the developers with defrauding investors."
    art = Article.build(text)
    result = analyze_doc(load_nlp()(text), art, sentiment_engine="lexicon")
    rows = rows_for(art, result)["attributions"]
    assert [(r["found_by"], r["cue_text"]) for r in rows] == [("model", "charged")]
    assert 0 < rows[0]["confidence"] <= 1


def test_keep_scorer_learns_from_readings_of_articles_the_cue_model_never_saw(tmp_path, monkeypatch):
    """Stacking: the keep scorer's examples are each fold's readings by the models fitted on
    the other folds, so it learns how often the cue model errs on unseen text (on the
    articles it was fitted on, it is right far too often)."""
    pytest.importorskip("sklearn")
    from audit.training.attribution import train

    fitted_on = {}
    real_train, real_examples = train.train, train.keep_examples

    def recording_train(rows, docs, **kw):
        part = real_train(rows, docs, **kw)
        fitted_on[id(part["cue"])] = {r["id"] for r in rows}
        return part

    seen = []

    def checking_examples(rows, docs, model):
        seen.append(({r["id"] for r in rows}, fitted_on[id(model.cue_weights)]))
        return real_examples(rows, docs, model)

    monkeypatch.setattr(train, "train", recording_train)
    monkeypatch.setattr(train, "keep_examples", checking_examples)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(_article(i)) + "\n" for i in range(12)), encoding="utf-8")
    assert train.main([str(gold), "--out", str(tmp_path / "m.json"), "--folds", "3", "--min-count", "1",
                       "--min-lemma", "1", "--c", "10"]) == 0
    assert seen, "the keep scorer was never given examples"
    for read, fit in seen:
        assert read and not read & fit
    # and every article is read, by models fitted without it
    assert len({i for read, _ in seen for i in read}) == 12


def test_keep_features_say_how_a_reading_was_found(nlp):
    import copy

    from audit.analyzers.attribution.model import keep_features

    # the readings as the keep scorer meets them: before it judges them
    unkept = copy.copy(load_model())
    unkept.keep_weights = None
    doc = nlp("Officials said the talks had stalled. Federal prosecutors charged two developers with fraud.")
    found = {a.cue_text: a for a in find_attributions(doc, cue_model=unkept)}
    said, charged = keep_features(doc, found["said"]), keep_features(doc, found["charged"])
    assert "by=rule" in said and not any(f.startswith("cueprob=") for f in said)
    assert "by=model" in charged and any(f.startswith("cueprob=") for f in charged)


def test_thresholds_within_a_tie_go_to_the_one_finding_more_indirect_attributions():
    pytest.importorskip("sklearn")
    from audit.training.attribution.train import TIE, choose

    def point(score, t, kt, indirect):
        return (score, t, kt, {"indirect_recall": indirect}, None)

    best = point(1.4485, 0.35, 0.45, 0.6275)
    tied = point(1.4485 - TIE / 2, 0.35, 0.4, 0.6373)
    worse = point(1.4485 - 3 * TIE, 0.3, 0.0, 0.6700)
    assert choose([best, tied, worse]) is tied
    # outside the tie, the score decides however much more recall there is
    assert choose([best, worse]) is best
    # a tie in recall too: the better score, then the lower cue threshold
    assert choose([best, point(1.4485 - TIE / 2, 0.35, 0.4, 0.6275)]) is best
    assert choose([point(1.4, 0.4, 0.4, 0.6), point(1.4, 0.35, 0.4, 0.6)])[1] == 0.35
