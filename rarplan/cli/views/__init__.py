"""How results are shown at the terminal."""
