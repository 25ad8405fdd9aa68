"""Training code for the article-level portrayal model (needs the ``train`` extra: scikit-learn).

Run ``python -m audit.training.portrayal.train --help``. Nothing in this package is imported at
run time; the model is read by ``audit.analyzers.portrayal``.
"""
