"""Training code, never imported at run time (needs the ``train`` extra): one subpackage per
learned part, each writing a file the run-time code reads from ``audit/data`` or
``audit/models``.

- ``attribution``: the attribution cue, content and keep scorers (``python -m audit.training.attribution.train``);
- ``sentiment``: the sentence-pair target-sentiment model and the lexicon engine's weights;
- ``encoder``: the shared sentence encoder and its heads;
- ``loaded``: the loaded-language lexicon engine;
- ``portrayal``: the article-level portrayal model.
"""
