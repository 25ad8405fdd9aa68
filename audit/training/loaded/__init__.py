"""Training the loaded-language lexicon engine (``python -m audit.training.loaded.train``).

Never imported at run time: the analyzer (``audit.analyzers.loaded``) reads only the data file
this writes, ``audit/data/loaded_lexicon.json``.
"""
