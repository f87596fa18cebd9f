"""Finding, reading and checking a catalogue file.

`--catalogue FILE` wins, then `RARPLAN_CATALOGUE`, then the catalogue shipped in the package.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from rarplan.catalogue.models import Catalogue, CatalogueFile
from rarplan.files.storage import decode, read_bytes, reading
from rarplan.files.validation import format_errors
from rarplan.model.errors import InvalidInput

CATALOGUE_ENV = "RARPLAN_CATALOGUE"


def default_path() -> Path:
    """The catalogue shipped in the package, or the repository's data/ in a source checkout."""
    shipped = resources.files("rarplan").joinpath("data/interventions.toml")
    if shipped.is_file():
        return Path(str(shipped))
    return Path(__file__).resolve().parents[2] / "data" / "interventions.toml"


def resolve_path(option: str | None) -> Path:
    """--catalogue wins, then RARPLAN_CATALOGUE, then the shipped catalogue."""
    chosen = option or os.environ.get(CATALOGUE_ENV)
    return Path(chosen) if chosen else default_path()


def parse(text: str, name: str) -> Catalogue:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{name}: not valid TOML: {exc}") from None
    return from_dict(raw, name)


def from_dict(raw: dict[str, object], name: str) -> Catalogue:
    try:
        data = CatalogueFile.model_validate(raw)
    except ValidationError as exc:
        problems = format_errors(exc, name, raw, entry_key="intervention", model=CatalogueFile)
        raise InvalidInput(
            problems[0] if len(problems) == 1 else f"{name}: {len(problems)} problems",
            hint="see docs/data.md, 'The catalogue format'",
            problems=problems,
        ) from None
    return Catalogue(data, name)


# Catalogues loaded in this process, by file and modification time: a file changed on disk
# is read again, as a new Catalogue with its own compiled rules and memos.
_CACHE: dict[tuple[str, float], Catalogue] = {}


def load(path: Path | str | None = None) -> Catalogue:
    """Load and check a catalogue file (the shipped one if no path is given)."""
    p = Path(path) if path is not None else resolve_path(None)
    with reading(str(p), "catalogue file"):
        key = (str(p), p.stat().st_mtime)
    if key in _CACHE:
        return _CACHE[key]
    data, _ = read_bytes(p, "catalogue file")
    text = decode(data, p.name)
    catalogue = parse(text, p.name)
    _CACHE[key] = catalogue
    return catalogue
