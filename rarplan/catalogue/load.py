"""Finding, reading and checking catalogue files.

`--catalogue` (repeatable: a file, or a shipped catalogue by name) wins, then
`RARPLAN_CATALOGUE`, then the default: both shipped catalogues together, the KSS CRC rate card
(which serves Kent, Surrey and Sussex only: its `regions`) and the national Structured
Interventions (each offered in the regions it names). So a KSS case is judged against both, a
case elsewhere against the Structured Interventions its region offers (docs/data.md,
"Choosing catalogues").

A catalogue once checked is kept as JSON in rarplan's cache folder (rarplan.files.cache), named
by the SHA-256 of what it was made from: the catalogue file's bytes, rarplan's version and the
source of the modules that define and check the format. The next command reads that copy
with pydantic's `model_validate_json`, which checks it again in full but is several times
faster than parsing the TOML: a copy that is damaged, or that the models now refuse, is
ignored and made again, and a changed catalogue file has another name, so it is never served
a stale copy.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tomllib
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rarplan import __version__
from rarplan.catalogue.models import Catalogue, CatalogueFile
from rarplan.files import cache
from rarplan.files.reading import check_bounds, decode, load_document, read_bytes, reading
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


# Used when none is chosen: both shipped catalogues, the national Structured Interventions
# first, so preferred for a need both meet (the 2025 judicial brochure, 004, "Rehabilitation
# Activity Requirement (RAR)", names them first among a RAR's activities); the rate card
# serves Kent, Surrey and Sussex only (its `regions`).
DEFAULT = ("structured", "rate-card")


def resolve_path(option: str | None) -> Path:
    """One catalogue: --catalogue wins, then RARPLAN_CATALOGUE (its first), then the shipped
    rate card; `rate-card` and `structured` name the shipped ones."""
    chosen = option or next(iter(_from_env()), None)
    return _path(chosen) if chosen else default_path()


def resolve(option: Sequence[str | Path] | str | Path | None = None) -> list[Path]:
    """The catalogues to use together: those given (names or files, in order), else those of
    RARPLAN_CATALOGUE (separated by the path separator, `:`; `;` on Windows), else the
    `[catalogue] use` setting of the RARPLAN_CONFIG file, else the default both."""
    if isinstance(option, str | Path):
        option = [option]
    chosen = [str(o) for o in option or ()] or _from_env() or _from_config() or list(DEFAULT)
    return [_path(c) for c in dict.fromkeys(chosen)]


CONFIG_ENV = "RARPLAN_CONFIG"  # the settings file (docs/deliver.md reads `[enforcement]` too)


class CatalogueSettings(BaseModel):
    """The settings file's `[catalogue]` table: the catalogues to use, names or files."""

    # defer_build (both): built when a settings file is read, not on import
    model_config = ConfigDict(extra="forbid", defer_build=True)

    use: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)


class _Settings(BaseModel):
    # other tables are other commands' settings
    model_config = ConfigDict(extra="ignore", defer_build=True)

    catalogue: CatalogueSettings | None = None


def _from_config() -> list[str]:
    """`[catalogue] use = [...]` of the RARPLAN_CONFIG file; a file named there is found beside
    the settings file."""
    path = os.environ.get(CONFIG_ENV, "").strip()
    if not path:
        return []
    raw, name = load_document(path, "toml")
    try:
        settings = _Settings.model_validate(raw).catalogue
    except ValidationError as exc:
        problems = format_errors(exc, name, raw, model=_Settings)
        raise InvalidInput(
            problems[0] if len(problems) == 1 else f"{name}: {len(problems)} problems",
            hint="see docs/data.md, 'Choosing catalogues'",
            problems=problems,
        ) from None
    if settings is None:
        return []
    folder = Path(path).parent
    return [use if use in SHIPPED else str(folder / use) for use in settings.use]


def load_chosen(option: Sequence[str | Path] | str | Path | None = None) -> Catalogue:
    """The catalogues `resolve` finds, loaded, checked and used together."""
    paths = resolve(option)
    parts = [load(p) for p in paths]
    if len(parts) == 1:
        return parts[0]
    key = tuple((str(p), p.stat().st_mtime) for p in paths)
    merged = _MERGED.get(key)
    if merged is None:
        merged = _MERGED[key] = Catalogue.merge(parts)
    return merged


def _from_env() -> list[str]:
    value = os.environ.get(CATALOGUE_ENV, "")
    return [v for v in value.split(os.pathsep) if v]  # as click splits a list of paths


def _path(chosen: str) -> Path:
    return shipped_path(chosen) if chosen in SHIPPED else Path(chosen)


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
# Catalogues used together, by their files and what was read from them.
_MERGED: dict[tuple[tuple[str, float], ...], Catalogue] = {}


def load(path: Path | str | None = None) -> Catalogue:
    """Load and check a catalogue file (or a shipped one by name); none given: the default
    catalogues together (`load_chosen`)."""
    if path is None:
        return load_chosen(None)
    p = _path(path) if isinstance(path, str) else path
    with reading(str(p), "catalogue file"):
        key = (str(p), p.stat().st_mtime)
    if key in _CACHE:
        return _CACHE[key]
    data, _ = read_bytes(p, "catalogue file")
    catalogue = _from_cache(data, p.name)
    if catalogue is None:
        catalogue = parse(decode(data, p.name), p.name)
        _to_cache(data, catalogue)
    shipped = (n for n in SHIPPED if p.resolve() == shipped_path(n).resolve())
    catalogue.name = next(shipped, p.name)
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
    digest.update(_format_digest(__version__, FORMAT_SOURCES))
    return f"catalogue-{digest.hexdigest()}.json"


@functools.cache
def _format_digest(version: str, sources: tuple[str, ...]) -> bytes:
    """rarplan's version and the format modules' source, read once a process (both
    catalogues used together share it)."""
    digest = hashlib.sha256(f"\0rarplan {version}\0".encode())
    package = Path(__file__).resolve().parents[1]
    for source in sources:
        digest.update((package / source).read_bytes())
    return digest.digest()


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
        # Without the keys left at their defaults (most of a rule's fifteen): a third smaller,
        # and read back to the same catalogue.
        copy = catalogue.data.model_dump_json(by_alias=True, exclude_defaults=True)
        cache.write(folder / cache_name(data), copy.encode())
