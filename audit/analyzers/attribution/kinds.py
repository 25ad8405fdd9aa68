"""What is attributed: ``statement``, ``belief`` or ``evidence`` (``audit.findings.ATTRIBUTION_KINDS``).

A statement is speech or writing, quoted or reported; a belief is a belief, intention or
attitude (support and opposition included); evidence is what a document, data, study or
poll found or showed. The cue decides between statement and belief; a document source
with a finding verb, or a data source, makes evidence.
"""
from __future__ import annotations

# Cue lemmas that attribute a belief, intention or attitude rather than words said or
# written (PolNeAR's beliefs, intentions, support and opposition); everything else a
# source "says" is a statement. Hand-listed from the attribution lexicon.
BELIEF_CUES = frozenset({
    "believe", "think", "expect", "hope", "fear", "want", "plan", "intend", "wish", "doubt", "worry", "know",
    "feel", "suspect", "assume", "trust", "understand", "agree", "disagree", "support", "oppose", "favor",
    "favour", "prefer", "like", "love", "hate", "seek", "aim", "reckon", "consider", "regard", "view", "deem",
    "decide", "aspire", "desire", "anticipate", "suppose", "imagine", "realize", "realise", "recognize",
    "recognise", "accept", "embrace", "back", "endorse", "reject", "resist", "dislike", "welcome", "appreciate",
    "question", "wonder", "see", "remember", "forget", "learn", "conclude", "judge", "figure", "guess", "bet",
    "intention", "belief", "view", "hope", "fear", "plan", "expectation", "concern", "support", "opposition",
    "desire", "wish", "confidence", "doubt", "suspicion", "impression", "sense", "feeling", "assumption",
    "confident", "sure", "certain", "convinced", "concerned", "worried", "afraid", "optimistic", "pessimistic",
    "skeptical", "sceptical", "hopeful", "aware", "unsure", "uncertain", "appear", "seem", "prepare", "try",
    "vote", "determine", "insist"})
# What a document, data, study or poll does when it is evidence: "the study found", "data showed".
EVIDENCE_CUES = frozenset({"find", "show", "reveal", "indicate", "suggest", "demonstrate", "prove", "confirm",
                           "estimate", "conclude", "project", "predict", "record", "document", "measure", "count",
                           "put", "rank", "according"})
# Documents that are evidence whatever their verb ("according to the census", "a poll ... said").
DATA_SOURCES = frozenset({"poll", "survey", "study", "data", "datum", "analysis", "research", "census", "figure",
                          "statistic", "estimate", "model", "projection", "forecast", "index", "finding", "result",
                          "count", "tally", "evidence", "footage", "recording", "audit", "assessment", "review",
                          "investigation", "inquiry", "report", "record", "number", "test", "experiment", "trial",
                          "autopsy", "map", "chart", "log", "sample", "exit"})


def attribution_kind(lemma: str, source_type: str, source_head: str = "") -> str:
    """``statement``, ``belief`` or ``evidence`` for one attribution (``ATTRIBUTION_KINDS``),
    from its cue's lemma ("according" for frames without a verb), its source kind and the
    lemma of its source's head noun."""
    if source_type == "document" and (lemma in EVIDENCE_CUES or source_head in DATA_SOURCES):
        return "evidence"
    if lemma in BELIEF_CUES:
        return "belief"
    return "statement"
