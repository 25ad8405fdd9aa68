"""Analyzers: pure functions over a spaCy ``Doc`` that return findings (audit.findings).

Each module owns one dimension and its word lists (module constants or files in
audit/data). None of them touches files, the network or global mutable state.
"""
