"""Attribution analyzer: who said, wrote, believed or wanted what.

``find_attributions(doc, *, actors=())`` reads the spaCy dependency parse and returns one
:class:`~audit.findings.Attribution` per attributed statement, belief or intention, with
character offsets into ``doc.text``. The package is built in layers, each importing only
the ones above it:

- ``helpers``: the word lists (``audit/data/attribution_lexicon.json``,
  ``attribution_sources.json``), quotation spans, paragraph breaks and token/character
  span helpers;
- ``sources``: the source of a cue (grammatical subject, passive agent, the subject of the
  governing verb for "..., adding that", none for "it was reported"), its kind
  (``classify_source``: named entities and head-noun lexicons) and pronoun resolution;
  ``kinds``: what is attributed (statement, belief, evidence);
- ``content``: the candidate record and what a cue's content is (a clausal complement, a
  controlled infinitive, an NP object for attitude verbs, the clause a parenthetical tag
  interrupts);
- ``rules``: the rule families, each a function ``(doc, ctx) -> candidates`` listed in
  ``RULE_FAMILIES`` (verb cues, *according to X* / *citing X*, nominal cues "the warning
  from X that ...", belief adjectives, document frames "in a CBS poll"), and
  ``rule_candidates(doc)``, what the learned scorers are given at run time and in training;
- ``quotes``: quotation marks next to a cue become its content, pieces of a split quote are
  joined, a quote continuing in the same paragraph or opening the next stays with its
  speaker; the colon form ``Netanyahu: "..."``;
- ``model`` and ``learned``: the learned long-tail cue, content and keep scorers
  (``audit/data/attribution_cue_model.json``), given the rule candidates;
- ``assemble``: ``find_attributions``, which runs the layers, drops cues inside quotations
  and chains, and resolves each source (through the actor layer,
  ``audit.analyzers.actors.actor_at``, or the nearest preceding compatible named entity).

A quotation with no speaker (a title, scare quotes) yields nothing.
"""
from __future__ import annotations

from .assemble import find_attributions
from .helpers import (CLAUSE_DEPS, CLOSE_QUOTES, EDGE_PUNCT, GROUP_PRONOUNS, MAX_QUOTE_GAP, MIN_QUOTE_WORDS, OBJ_DEPS,
                      OBJECT_PREDICATE_PREPS, OPEN_QUOTES, PERSON_PRONOUNS, QUOTE_CHARS, RELATIVE_PRONOUNS, SUBJ_DEPS,
                      SUBORDINATORS, lexicon, negated, quote_spans)
from .kinds import attribution_kind
from .learned import cue_model_tokens
from .model import load_model
from .rules import RULE_FAMILIES, RuleContext, rule_candidates, rule_context
from .sources import PRONOUN_LOOKBACK, classify_source

__all__ = [
    "CLAUSE_DEPS", "CLOSE_QUOTES", "EDGE_PUNCT", "GROUP_PRONOUNS", "MAX_QUOTE_GAP", "MIN_QUOTE_WORDS", "OBJ_DEPS",
    "OBJECT_PREDICATE_PREPS", "OPEN_QUOTES", "PERSON_PRONOUNS", "PRONOUN_LOOKBACK", "QUOTE_CHARS",
    "RELATIVE_PRONOUNS", "RULE_FAMILIES", "RuleContext", "SUBJ_DEPS", "SUBORDINATORS", "attribution_kind",
    "classify_source", "cue_model_tokens", "find_attributions", "lexicon", "load_model", "negated", "quote_spans",
    "rule_candidates", "rule_context",
]
