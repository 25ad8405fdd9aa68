"""Training code for the shared sentence encoder and its heads (never imported at run time)."""
