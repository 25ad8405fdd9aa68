"""Training of the learned long-tail attribution cue scorer (``python -m audit.training.attribution.train``)."""
