"""rarplan: sentence planning for Rehabilitation Activity Requirements (RAR)."""

__version__ = "0.1.0"
