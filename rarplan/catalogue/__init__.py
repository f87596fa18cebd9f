"""The intervention catalogue: its file format, the rule language, the case facts rules read."""
