"""What every test of the interactive assessment runs with: a deadline (a keystroke the wizard
waits for and the test never sends fails the test instead of hanging it), drafts kept in the
test's own folder, and the shipped catalogue loaded once a module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rarplan.catalogue import load as cat
from rarplan.catalogue.models import Catalogue
from tests.cli.wizard.test_wizard import deadline


@pytest.fixture(autouse=True)
def _deadline() -> Iterator[None]:
    with deadline():
        yield


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    (tmp_path / "d").mkdir()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return cat.load()
