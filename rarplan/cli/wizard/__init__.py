"""The interactive assessment (questionary), one module per part."""
