"""Article-level portrayal per actor (audit.analyzers.portrayal) and ``evaluate portrayal``."""
from __future__ import annotations

import json

import pytest

from audit.analyze import analyze_text
from audit.analyzers.portrayal import (CONTEXT_KEY, LABELS, PARAGRAPH_FEATURES, guarded, load_model, match_actor,
                                       model_features, paragraph_aggregates, paragraph_rows, paragraph_starts,
                                       portray, position_features, predict_proba, profile_features, tone)
from audit.findings import Actor, Mention

# Invented articles, each with the expected portrayal of its actors. Every text is written
# the way PerSenT's lost its commas too, in a second row: the label must not depend on them.
ARTICLES = [
    # a warm profile: no single gushing sentence, but the article as a whole is kind to her
    ("profile", (
        "Maria Ortega has spent thirty years as a nurse caring for patients in the rural clinic she founded.\n"
        "Colleagues describe Ortega as tireless and generous, and patients say she saved their lives.\n"
        "Last week Ortega received the national award for community health for her work with poor families.\n"
        "Ortega said she was grateful and would keep working as long as she could."),
     {"person:maria-ortega": "positive"}),
    # an expose: the article casts him negatively
    ("expose", (
        "Victor Kane misled investors and hid losses of millions, an investigation has found.\n"
        "Kane forged bank statements and lied to regulators for years, according to court records.\n"
        "Former employees said Kane bullied staff who raised concerns and fired a whistleblower.\n"
        "Prosecutors charged Kane with fraud on Tuesday."),
     {"person:victor-kane": "negative"}),
    # a neutral report of a bad event: the fire is bad news, the official who reports it is not cast badly
    ("bad event", (
        "A fire destroyed a warehouse in the port district on Sunday night, fire chief Laura Benson said.\n"
        "Benson said three workers were injured and taken to hospital.\n"
        "The cause of the fire is under investigation, Benson said, and the road will stay closed until Tuesday."),
     {"person:laura-benson": "neutral"}),
]


def _decommaed(text: str) -> str:
    return text.replace(", ", "  ").replace(",", " ")


@pytest.mark.parametrize("kind, text, expected", ARTICLES + [(k + " without commas", _decommaed(t), e)
                                                             for k, t, e in ARTICLES])
def test_invented_articles(kind, text, expected):
    res = analyze_text(text)
    labels = {s.actor_key: s.label for s in res.sentiments}
    for key, label in expected.items():
        assert labels.get(key) == label, (kind, labels)
    for s in res.sentiments:  # the sentences shown next to the label are the actor's, in the text
        assert s.evidence and all(ev.text in text for ev in s.evidence)


def test_a_passing_mention_is_neutral():
    text = ("The city council approved the budget on Monday after a long debate about schools and roads.\n"
            "The budget grows by two percent and funds new bus lines.\n"
            "Council members will meet again in March. Mayor Tom Reyes will attend the meeting.")
    res = analyze_text(text)
    labels = {s.actor_key: s.label for s in res.sentiments}
    assert labels.get("person:tom-reyes") == "neutral", labels


def _profile(probs, **kw):
    rows = [{"probs": list(p), "tone": p[2] - p[0], "sent": i, "par": i, "subj": 1, "obj": 0, "role": 0.0,
             "speaker": 0, "reported": 0, "quoted": 0} for i, p in enumerate(probs)]
    base = {"n_sent": max(len(rows), 1), "n_par": max(len(rows), 1),
            "doc_tone": sum(r["tone"] for r in rows) / len(rows) if rows else 0.0, "mentions": len(rows),
            "mention_share": 1.0, "rank": 1, "times_quoted": 0, "first": 0.0, "sentences": rows}
    base.update(kw)
    return base


def test_features_are_finite_and_named_the_same_for_every_profile():
    empty = profile_features(_profile([]))
    one = profile_features(_profile([(0.1, 0.2, 0.7)]))
    many = profile_features(_profile([(0.8, 0.1, 0.1), (0.1, 0.1, 0.8), (0.2, 0.7, 0.1)], n_sent=10, n_par=5))
    assert set(empty) == set(one) == set(many)
    assert all(v == v and abs(v) < 1e6 for f in (empty, one, many) for v in f.values())
    assert one["mean_pos"] == pytest.approx(0.7) and many["frac_negative"] == pytest.approx(1 / 3)


def test_the_shipped_model_reads_and_covers_its_features():
    model = load_model()
    assert model is not None, "audit/data/portrayal_model.json is missing"
    assert sorted(model["classes"]) == sorted(LABELS)
    # every feature the model weighs is computed at run time (the paragraph model's aggregates too)
    assert set(model["features"]) <= set(model_features(_profile([(0.1, 0.2, 0.7)]), model))
    p = predict_proba([model_features(_profile([(0.1, 0.2, 0.7)]), model)], model)
    assert p.shape == (1, 3) and p.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("probs, extra, expected", [
    ([(0.02, 0.08, 0.9)] * 6, {}, "positive"),
    ([(0.9, 0.08, 0.02)] * 6, {}, "negative"),
    # one of several actors, in a few plainly neutral sentences of a longer article
    ([(0.03, 0.94, 0.03)] * 3, {"n_sent": 20, "n_par": 10, "mention_share": 0.2, "rank": 3}, "neutral"),
])
def test_clear_profiles_get_their_label(probs, extra, expected):
    assert portray(_profile(probs, **extra))[0] == expected


@pytest.mark.parametrize("probs, expected", [
    ([(0.9, 0.05, 0.05), (0.5, 0.4, 0.1)], "negative"),   # mean P(pos) - P(neg) = -0.6
    ([(0.1, 0.3, 0.6), (0.1, 0.8, 0.1)], "neutral"),      # 0.25: under the threshold
    ([(0.0, 0.6, 0.4), (0.1, 0.4, 0.5)], "positive"),     # 0.4
])
def test_without_a_model_the_mean_rule_decides(probs, expected):
    assert portray(_profile(probs), model=None) == (expected, None)


# The rules of ``guarded`` (each on or off in a model file). Two classes of wrong label they
# stop: a polar label with no sentence that casts the actor that way (the model tipped by
# position or role alone), and a floor firing on one sentence (a passing mention is not a
# portrayal). Rows: (model's label, mean, max P(pos), max P(neg), sentences, rule, expected).
RULES = {"evidence": {"min_evidence": 0.5}, "floors": {"negative_floor": -0.33, "positive_floor": 0.33},
         "floors2": {"negative_floor": -0.33, "positive_floor": 0.33, "floor_min_sentences": 2},
         "polar2": {"negative_floor": -0.33, "positive_floor": 0.33, "floor_min_sentences": 2, "floor_counts": "polar"},
         "sign": {"sign_guard": True}, "none": {}}


@pytest.mark.parametrize("label, mean, max_pos, max_neg, n, rule, expected", [
    # no sentence casts the actor positively: nothing to show for a positive label
    ("positive", -0.01, 0.02, 0.03, 3, "evidence", "neutral"),
    ("negative", 0.10, 0.30, 0.20, 4, "evidence", "neutral"),
    # with a sentence to show, the label stands
    ("positive", 0.20, 0.85, 0.05, 3, "evidence", "positive"),
    ("negative", -0.30, 0.05, 0.90, 2, "evidence", "negative"),
    ("neutral", 0.0, 0.9, 0.9, 5, "evidence", "neutral"),  # the rules never make a neutral label polar...
    # ...except the floors: sentences clearly for (against) the actor on average
    ("neutral", 0.60, 0.9, 0.01, 3, "floors", "positive"),
    ("neutral", -0.60, 0.01, 0.9, 3, "floors", "negative"),
    ("neutral", -0.95, 0.01, 0.96, 1, "floors", "negative"),
    # one sentence is a mention, not a portrayal: with a minimum of two, the floor stays off
    ("neutral", -0.95, 0.01, 0.96, 1, "floors2", "neutral"),
    ("neutral", 0.86, 0.86, 0.0, 1, "floors2", "neutral"),
    ("neutral", -0.60, 0.01, 0.9, 2, "floors2", "negative"),
    # with polar counts, the floor needs two sentences that lean its way: one clearly negative
    # sentence among neutral ones pulls the mean down but is one sentence (n: (all, neg, pos))
    ("neutral", -0.35, 0.05, 0.9, (4, 1, 0), "polar2", "neutral"),
    ("neutral", -0.35, 0.05, 0.9, (4, 1, 0), "floors2", "negative"),
    ("neutral", -0.50, 0.05, 0.9, (4, 2, 0), "polar2", "negative"),
    ("neutral", 0.40, 0.9, 0.05, (3, 0, 1), "polar2", "neutral"),
    ("neutral", 0.40, 0.9, 0.05, (3, 0, 2), "polar2", "positive"),
    ("positive", -0.20, 0.6, 0.7, 3, "sign", "neutral"),
    ("positive", -0.01, 0.02, 0.03, 3, "none", "positive"),  # no rule on: the model's label
])
def test_guarded_rules(label, mean, max_pos, max_neg, n, rule, expected):
    n_all, n_neg, n_pos = n if isinstance(n, tuple) else (n, n, n)
    feats = {"mean_score": mean, "max_pos": max_pos, "max_neg": max_neg, "n_sentences": float(n_all),
             "n_negative": float(n_neg), "n_positive": float(n_pos)}
    assert guarded(label, feats, RULES[rule]) == expected


def test_rule_counts_count_sentences_by_their_most_likely_class():
    from audit.analyzers.portrayal import rule_counts

    p = _profile([(0.9, 0.05, 0.05), (0.2, 0.7, 0.1), (0.1, 0.2, 0.7), (0.6, 0.3, 0.1)])
    assert rule_counts(p) == {"n_sentences": 4.0, "n_negative": 2.0, "n_positive": 1.0}
    assert rule_counts(_profile([])) == {"n_sentences": 0.0, "n_negative": 0.0, "n_positive": 0.0}


def test_portray_applies_the_evidence_rule_of_the_model():
    import numpy as np

    model = {k: v for k, v in load_model().items() if k not in ("_w", "_b", "_order")}  # a copy, folded anew
    flat = _profile([(0.03, 0.94, 0.03)] * 4)
    # a model whose intercept says positive whatever the features: the evidence rule vetoes it
    model["_intercept"] = model["_intercept"] + np.array([50.0 if c == "positive" else 0.0 for c in model["classes"]])
    off = {"min_evidence": False, "sign_guard": False, "negative_floor": False, "positive_floor": False}
    assert portray(flat, model={**model, **off})[0] == "positive"
    assert portray(flat, model={**model, **off, "min_evidence": 0.5})[0] == "neutral"


def test_match_actor_by_mentions():
    a = Actor(key="person:a", name="A", type="person", mentions=(Mention((0, 5), "Alpha"), Mention((40, 45), "Alpha")))
    b = Actor(key="person:b", name="B", type="person", mentions=(Mention((10, 14), "Beta"),))
    assert match_actor([a, b], [(0, 5), (40, 45)]) is a
    assert match_actor([a, b], [(10, 14)]) is b
    assert match_actor([a, b], [(20, 25)]) is None
    assert match_actor([], [(0, 5)]) is None


def test_evaluate_portrayal_writes_one_prediction_per_target(tmp_path):
    from click.testing import CliRunner

    from audit.cli import main

    text, expected = ARTICLES[1][1], "negative"
    start = text.index("Victor Kane")
    mentions = [[start, start + len("Victor Kane")]] + [[i, i + 4] for i in range(len(text)) if text.startswith("Kane", i) and i != start + 7]
    rows = [
        {"id": "x1", "text": text, "targets": [{"span": mentions[0], "text": "Victor Kane", "polarity": expected,
                                               "mentions": mentions}]},
        # a target no actor matches: predicted neutral, still written
        {"id": "x2", "text": "It rained all day in the valley.", "targets": [{"span": [0, 2], "text": "It",
                                                                              "polarity": "neutral", "mentions": [[0, 2]]}]},
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "pred.jsonl"
    r = CliRunner().invoke(main, ["evaluate", "portrayal", str(gold), "--predictions", str(out), "--json"])
    assert r.exit_code == 0, r.output
    m = json.loads(r.output[r.output.index("{"):])
    assert m["n"] == 2 and m["unmatched_targets"] == 1 and m["accuracy"] == 1.0
    preds = [json.loads(line) for line in out.read_text().splitlines()]
    assert [p["id"] for p in preds] == ["x1", "x2"]
    assert preds[0]["targets"] == [{"span": mentions[0], "polarity": expected}]
    assert preds[1]["targets"] == [{"span": [0, 2], "polarity": "neutral"}]


def test_evaluate_portrayal_bad_gold_is_one_line(tmp_path):
    from click.testing import CliRunner

    from audit.cli import main

    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    r = CliRunner().invoke(main, ["evaluate", "portrayal", str(bad)])
    assert r.exit_code != 0 and "bad.jsonl:1" in r.output and "Traceback" not in r.output


# --- more invented articles: each with the labels a reader would give ------------------------

MORE_ARTICLES = [
    # a second warm profile, of a young athlete (praise in the headline-like lead and the close)
    ("athlete profile", (
        "Teenager Lena Brandt won the national chess title on Sunday with a brilliant attacking game.\n"
        "Brandt, who taught herself from library books, beat three grandmasters on her way to the title.\n"
        "Her coach called Brandt the most gifted player he had trained in forty years.\n"
        "Brandt said she hoped to inspire other girls to play."),
     {"person:lena-brandt": "positive"}),
    # a second expose: an official cast as corrupt by the article's own reporting
    ("official expose", (
        "Harold Finch took bribes from construction firms for a decade, documents seen by this newspaper show.\n"
        "Finch steered contracts to friends and lied about his ties to them under oath.\n"
        "Auditors found that Finch had wasted public money on luxury trips and covered up the losses.\n"
        "Finch was arrested on Friday and faces charges of corruption and perjury."),
     {"person:harold-finch": "negative"}),
    # an organisation praised for its work: positive; the committee and director who speak are not cast
    ("charity award", (
        "The Harwick Food Bank has won the national award for community service.\n"
        "The charity delivered forty thousand meals last year and opened two new kitchens, the award committee said.\n"
        "Volunteers at the Harwick Food Bank were praised for their dedication during the winter floods.\n"
        "Director Sam Okafor said the staff deserved the recognition."),
     {"organization:harwick-food-bank": "positive", "person:sam-okafor": "neutral"}),
    # the article's own findings cast a councillor as dishonest
    ("expenses scandal", (
        "Councillor Ben Harlow used public money to pay for private holidays, an audit found.\n"
        "Harlow claimed 40,000 dollars in false expenses over three years, the auditors said.\n"
        "Harlow refused to answer questions and has not repaid the money.\n"
        "The council's ethics panel will decide next week whether to suspend him."),
     {"person:ben-harlow": "negative"}),
]

# Actors the article does not cast either way: each must come out neutral.
NEUTRAL_ARTICLES = [
    # the victim of a bad event is not cast negatively by a plain report of it
    ("victim of a flood", (
        "Floodwater destroyed the farm of Peter Molnar on Tuesday after the river burst its banks.\n"
        "Molnar and his family were rescued by boat and spent the night in a school gym.\n"
        "The regional government said it would assess the damage this week."),
     "person:peter-molnar"),
    # a spokesman who announces bad news
    ("spokesman of bad news", (
        "The company will close two factories and cut 900 jobs next year, spokesman Carl Jensen said on Monday.\n"
        "Jensen said the closures followed a fall in orders from car makers.\n"
        "Unions said they would meet the management on Thursday."),
     "person:carl-jensen"),
    # a routine appointment
    ("routine appointment", (
        "The board of the city library appointed Ruth Adler as its director on Wednesday.\n"
        "Adler previously managed the archive of the regional museum.\n"
        "She will take up the post in January, the board said."),
     "person:ruth-adler"),
    # a victim of a storm who tells of her losses
    ("storm victim", (
        "A storm knocked out power to 20,000 homes in Dunmore on Tuesday.\n"
        "Maria Chen, a shop owner, said she lost a week of stock when her freezers failed.\n"
        "Chen said she did not know how she would pay her suppliers.\n"
        "The utility said power would be restored by Thursday."),
     "person:maria-chen"),
    # two leaders before talks: one "presses" the other, which casts neither
    ("talks ahead", (
        "Prime Minister Ella Varga will visit Washington next week to discuss trade.\n"
        "Varga will press President Tom Reed for assurances on steel tariffs, officials said.\n"
        "Reed is expected to host Varga at a working lunch on Tuesday.\n"
        "Reed and Varga last met in March.\n"
        "The talks will also cover energy and defence, the officials said."),
     "person:tom-reed"),
    ("talks ahead, the visitor", (
        "Prime Minister Ella Varga will visit Washington next week to discuss trade.\n"
        "Varga will press President Tom Reed for assurances on steel tariffs, officials said.\n"
        "Reed is expected to host Varga at a working lunch on Tuesday.\n"
        "Reed and Varga last met in March.\n"
        "The talks will also cover energy and defence, the officials said."),
     "person:ella-varga"),
    # a routine announcement
    ("timetable", (
        "The transport ministry announced new bus timetables on Monday.\n"
        "The changes take effect in March and affect twelve routes, the ministry said.\n"
        "Passengers can find the new times on the ministry's website."),
     "organization:transport-ministry"),
]


@pytest.mark.parametrize("kind, text, expected", MORE_ARTICLES + [(k + " without commas", _decommaed(t), e)
                                                                  for k, t, e in MORE_ARTICLES])
def test_more_invented_articles(kind, text, expected):
    labels = {s.actor_key: s.label for s in analyze_text(text).sentiments}
    for key, label in expected.items():
        assert labels.get(key) == label, (kind, labels)


@pytest.mark.parametrize("kind, text, key", NEUTRAL_ARTICLES + [(k + " without commas", _decommaed(t), a)
                                                                for k, t, a in NEUTRAL_ARTICLES])
def test_actors_the_article_does_not_cast_are_neutral(kind, text, key):
    labels = {s.actor_key: s.label for s in analyze_text(text).sentiments}
    assert labels.get(key) == "neutral", (kind, labels)


@pytest.mark.parametrize("text", [
    "In 2006  Benjamin Koellmann bought a bakery in the old town  and he still runs it.",
    "Benjamin Koellmann  a baker from Hamburg  bought the bakery in 2006.\n Koellmann said he loved the work.",
])
def test_text_that_lost_its_commas_still_finds_the_actor_and_a_profile(text):
    res = analyze_text(text)
    st = {s.actor_key: s for s in res.sentiments}.get("person:benjamin-koellmann")
    assert st is not None and st.profile["mentions"] >= 1 and st.label in LABELS


# --- the parts of the profile the model reads --------------------------------------------------

@pytest.mark.parametrize("text, sign", [
    ("She was a brilliant and generous teacher.", 1),
    ("He lied, cheated and stole from the poor.", -1),
    ("He is not a good man.", -1),          # the negator flips the word after it
    ("The meeting is on Tuesday at the town hall.", 0),
    ("", 0),
])
def test_tone_reads_the_valence_of_the_words(text, sign):
    t = tone(text)
    assert -1.0 <= t <= 1.0
    assert (t > 0.05) - (t < -0.05) == sign


def test_paragraph_starts_skip_blank_lines():
    text = "One.\n\nTwo two.\n Three."
    assert paragraph_starts(text) == [0, 6, 16]


def test_position_features_count_the_lead_and_the_last_paragraph():
    p = _profile([(0.1, 0.2, 0.7), (0.1, 0.8, 0.1)], n_sent=10, n_par=4,
                 mention_sents=[0, 1, 9, 9], mention_pars=[0, 0, 3, 3], in_title=1, title_tone=0.5)
    f = position_features(p, p["sentences"], [0.6, 0.0])
    assert f["pos_share_lead2"] == pytest.approx(0.5) and f["pos_share_first_par"] == pytest.approx(0.5)
    assert f["pos_share_last_par"] == pytest.approx(0.5) and f["pos_in_title"] == 1.0
    assert f["pos_title_tone_in"] == pytest.approx(0.5)
    # no headline, one paragraph: nothing is in a "last" paragraph distinct from the first
    q = position_features(_profile([(0.1, 0.8, 0.1)], n_par=1, mention_sents=[0], mention_pars=[0]),
                          [], [])
    assert q["pos_in_title"] == 0.0 and q["pos_share_last_par"] == 0.0


def test_paragraph_rows_have_one_row_per_paragraph_and_aggregate():
    import numpy as np

    p = _profile([(0.8, 0.1, 0.1), (0.1, 0.1, 0.8)], n_par=3, mention_pars=[0, 1], pars=[[0.1, 0.2]] * 3)
    rows = paragraph_rows(p)
    assert len(rows) == 3 and all(len(r) == len(PARAGRAPH_FEATURES) for r in rows)
    assert rows[0][0] == 1.0 and rows[2][0] == 0.0      # mentioned in the first two only
    agg = paragraph_aggregates(p, np.array([[0.7, 0.2, 0.1], [0.1, 0.2, 0.7], [0.1, 0.8, 0.1]]), rows)
    assert agg["par_first_score"] == pytest.approx(-0.6) and agg["par_frac_pos"] == pytest.approx(1 / 3)
    assert agg["par_mentioned_score"] == pytest.approx(0.0)


def test_the_audit_hands_the_headline_and_loaded_language_to_the_profile():
    text = ("Mayor Anna Weiss opened the new bridge on Monday.\n"
            "Weiss thanked the engineers and said the bridge would cut commutes.")
    res = analyze_text(text, title="Weiss opens bridge")
    st = {s.actor_key: s for s in res.sentiments}["person:anna-weiss"]
    assert st.profile["in_title"] == 1 and st.profile["has_title"] == 1
    assert all(r["loaded"] is not None for r in st.profile["sentences"])
    assert len(st.profile["pars"]) == st.profile["n_par"] == 2
    res = analyze_text(text, title="Traffic news")
    assert {s.actor_key: s for s in res.sentiments}["person:anna-weiss"].profile["in_title"] == 0


def test_a_doc_without_the_audit_context_still_gets_a_profile():
    from audit.analyzers.portrayal import actor_profile, doc_layout
    from audit.nlp import load_nlp

    doc = load_nlp()("Mayor Anna Weiss opened the new bridge on Monday.")
    assert CONTEXT_KEY not in doc.user_data
    lay = doc_layout(doc)
    assert lay["title"] == "" and len(lay["loaded"]) == 1 and 0.0 <= lay["loaded"][0] <= 1.0
    a = Actor(key="person:anna-weiss", name="Anna Weiss", type="person", mentions=(Mention((6, 16), "Anna Weiss"),))
    p = actor_profile(doc, a, [((0, len(doc.text)), (0.1, 0.8, 0.1), [(6, 16)])], actors=[a], layout=lay)
    assert p["in_title"] == 0 and p["sentences"][0]["loaded"] is not None
    assert set(profile_features(p)) == set(profile_features(_profile([(0.1, 0.2, 0.7)])))


def test_paragraph_gold_maps_onto_the_profile_paragraphs():
    from audit.training.portrayal.profiles import paragraph_gold

    text = "First para.\n Second para here.\n Third."
    row = {"text": text, "meta": {"paragraphs": [{"span": [0, 11], "polarity": "positive"},
                                                 {"span": [11, 30], "polarity": "neutral"},
                                                 {"span": [30, len(text)], "polarity": "negative"}]}}
    assert paragraph_gold(row) == ["positive", "neutral", "negative"]
    assert paragraph_gold({"text": text}) is None


# The stored evidence is listed (``newsaudit show``, the dashboard) in the order the analyzer
# ranked it: the sentences that weighed most in the portrayal first, whatever the store's order.
_EVIDENCE = [  # (start, score, label, probs)
    (0, -0.05, "neutral", (0.10, 0.85, 0.05)),
    (50, -0.81, "negative", (0.82, 0.17, 0.01)),
    (90, 0.40, "positive", (0.05, 0.50, 0.45)),
    (140, -0.45, "negative", (0.52, 0.41, 0.07)),
    (200, 0.70, "positive", (0.02, 0.26, 0.72)),
    (260, 0.70, "positive", (0.02, 0.26, 0.72)),  # a tie: the earlier sentence first
    (300, 0.0, "neutral", None),                 # the lexicon engine stores no probabilities
]


@pytest.mark.parametrize("label", ["positive", "negative", "neutral", None])
def test_stored_evidence_is_listed_in_the_analyzers_order(label):
    from audit.analyzers.sentiment import weighed_most
    from audit.findings import SentimentEvidence
    from audit.tables import weighed_first

    evs = [SentimentEvidence(sentence=(s, s + 30), text=f"s{s}", score=sc, label=lab, probs=p)
           for s, sc, lab, p in _EVIDENCE]
    rows = [{"start": s, "end": s + 30, "text": f"s{s}", "score": sc, "label": lab,
             "p_negative": p[0] if p else None, "p_neutral": p[1] if p else None, "p_positive": p[2] if p else None}
            for s, sc, lab, p in reversed(_EVIDENCE)]  # the store's order is not the analyzer's
    want = [ev.sentence[0] for ev in weighed_most(evs, label or "neutral", k=len(evs))]
    assert [r["start"] for r in weighed_first(rows, label)] == want
    if label == "negative":
        assert want[:2] == [50, 140]
    if label == "positive":
        assert want[:3] == [200, 260, 90]


def _cache_line(k: int, label: str, probs: list, dataset: str = "persent_dev") -> str:
    return json.dumps({"dataset": dataset, "id": f"d{k}", "k": 0, "label": label, "engine": "model",
                       "par_gold": None, "profile": _profile(probs), "predicted": None})


def test_training_writes_the_rules_it_was_given_and_the_run_reads_them(tmp_path):
    """The training command on an invented cache: the rules fixed with --rules and
    --floor-counts reach the model file, the file loads, and its figures are out of fold."""
    pytest.importorskip("sklearn")
    from audit.training.portrayal import train

    pos, neg, neu = (0.05, 0.15, 0.8), (0.8, 0.15, 0.05), (0.05, 0.9, 0.05)
    lines = []
    for k in range(90):  # three clear classes, with some noise sentences mixed in
        label = ("positive", "negative", "neutral")[k % 3]
        main_ = {"positive": pos, "negative": neg, "neutral": neu}[label]
        lines.append(_cache_line(k, label, [main_] * (2 + k % 4) + [neu] * (k % 3)))
    cache = tmp_path / "cache.jsonl"
    cache.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "model.json"
    assert train.main([str(cache), "--groups", "base", "--floor", "on", "--rules", "evidence=0.5,min_sentences=2",
                       "--floor-counts", "polar", "--out", str(out)]) == 0
    model = json.loads(out.read_text(encoding="utf-8"))
    assert model["min_evidence"] == 0.5 and model["floor_min_sentences"] == 2 and model["floor_counts"] == "polar"
    assert model["negative_floor"] == -0.33 and model["positive_floor"] == 0.33
    assert model["card"]["nested_out_of_fold"]["persent_dev"]["macro_f1"] > 0.9  # separable: learned out of fold
    m = load_model(str(out))
    assert portray(_profile([pos] * 4), model=m)[0] == "positive"
    assert portray(_profile([neu] * 4), model=m)[0] == "neutral"
    # a rule combination that does not exist is one clear line
    with pytest.raises(SystemExit, match="no rule combination"):
        train.main([str(cache), "--groups", "base", "--floor", "on", "--rules", "evidence=0.9"])
