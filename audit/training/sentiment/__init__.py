"""Training code for the learned sentiment engine (needs the ``train`` extra: torch, transformers).

Run ``python -m audit.training.sentiment.train --help``. Nothing in this package is imported
at run time; inference lives in ``audit.analyzers.sentiment_model``.
"""
