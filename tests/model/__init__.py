"""Tests of the shared model: the RAR-day rule and the date helpers."""
