"""Every test runs isolated: its own working folder, cache folder, no colour, fixed width."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "docs" / "sources"  # the public source documents the rules cite


@pytest.fixture(autouse=True)
def _isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("RARPLAN_LOCK_TIMEOUT", "1")
    monkeypatch.delenv("RARPLAN_CATALOGUE", raising=False)
