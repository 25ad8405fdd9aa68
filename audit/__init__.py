"""newsaudit: media bias and sourcing audit of news articles.

The analysis core. Only this package imports spaCy, vaderSentiment and textstat.
"""
__version__ = "0.1.0"

# Bumped whenever an analyzer's output can change: stored results carry it, and
# re-running skips only articles audited with the same analyzer version.
ANALYZER_VERSION = "14"
