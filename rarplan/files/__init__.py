"""The file layer: reading, validating and writing cases and plans safely."""
