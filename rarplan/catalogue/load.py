"""Finding, reading and checking a catalogue file.

`--catalogue FILE` wins, then `RARPLAN_CATALOGUE`, then the catalogue shipped in the package.

A catalogue once checked is kept as JSON in rarplan's cache folder (rarplan.files.cache), named
by the SHA-256 of what it was made from: the catalogue file's bytes, rarplan's version and the
source of the modules that define and check the format. The next command reads that copy
with pydantic's `model_validate_json`, which checks it again in full but is several times
faster than parsing the TOML: a copy that is damaged, or that the models now refuse, is
ignored and made again, and a changed catalogue file has another name, so it is never served
a stale copy.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from rarplan import __version__
from rarplan.catalogue.models import Catalogue, CatalogueFile
from rarplan.files import cache
from rarplan.files.storage import check_bounds, decode, read_bytes, reading
from rarplan.files.validation import format_errors
from rarplan.model.errors import InvalidInput

CATALOGUE_ENV = "RARPLAN_CATALOGUE"


def default_path() -> Path:
    """The catalogue shipped in the package, or the repository's data/ in a source checkout."""
    shipped = resources.files("rarplan").joinpath("data/interventions.toml")
    if shipped.is_file():
        return Path(str(shipped))
    return Path(__file__).resolve().parents[2] / "data" / "interventions.toml"


# The catalogues shipped in the package, by the name a user gives instead of a file (issue 18).
SHIPPED = {"rate-card": "interventions.toml", "structured": "structured-interventions.toml"}


def shipped_path(name: str) -> Path:
    """A shipped catalogue by name (`rate-card`, `structured`), read only when chosen."""
    file = SHIPPED[name]
    shipped = resources.files("rarplan").joinpath(f"data/{file}")
    if shipped.is_file():
        return Path(str(shipped))
    return Path(__file__).resolve().parents[2] / "data" / file


def resolve_path(option: str | None) -> Path:
    """--catalogue wins, then RARPLAN_CATALOGUE, then the shipped catalogue; `rate-card` and
    `structured` name the shipped ones."""
    chosen = option or os.environ.get(CATALOGUE_ENV)
    if chosen in SHIPPED:
        return shipped_path(chosen)
    return Path(chosen) if chosen else default_path()


def parse(text: str, name: str) -> Catalogue:
    check_bounds(text, name)  # issue 19: bounded before parsing, as every file rarplan reads
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{name}: not valid TOML: {exc}") from None
    except (RecursionError, ValueError):  # nested too deeply; a number of 4,300 digits or more
        raise InvalidInput(
            f"{name}: not valid TOML: nested too deeply or too long a number"
        ) from None
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
    catalogue = _from_cache(data, p.name)
    if catalogue is None:
        catalogue = parse(decode(data, p.name), p.name)
        _to_cache(data, catalogue)
    _CACHE[key] = catalogue
    return catalogue


# The modules whose source decides what a checked catalogue is (the models, the rule language
# and the case facts the rules may name): a change to any of them names a new cache file.
FORMAT_SOURCES = (
    "catalogue/models.py",
    "catalogue/rules.py",
    "catalogue/facts.py",
    "model/case.py",
    "model/needs.py",
    "model/dates.py",
)


def cache_name(data: bytes) -> str:
    """The cache file for a catalogue file's bytes: a digest of everything the copy depends on."""
    digest = hashlib.sha256(data)
    digest.update(f"\0rarplan {__version__}\0".encode())
    package = Path(__file__).resolve().parents[1]
    for source in FORMAT_SOURCES:
        digest.update((package / source).read_bytes())
    return f"catalogue-{digest.hexdigest()}.json"


def _from_cache(data: bytes, name: str) -> Catalogue | None:
    folder = cache.folder("catalogue")
    stored = cache.read(folder / cache_name(data)) if folder else None
    if stored is None:
        return None
    try:
        return Catalogue(CatalogueFile.model_validate_json(stored), name)
    except ValueError:  # damaged, or refused by the models: read the TOML instead
        return None


def _to_cache(data: bytes, catalogue: Catalogue) -> None:
    folder = cache.folder("catalogue")
    if folder is not None:
        cache.write(
            folder / cache_name(data), catalogue.data.model_dump_json(by_alias=True).encode()
        )
