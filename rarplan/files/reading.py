"""Reading rarplan's files: a clear line for each way opening one fails, its bytes bounded, its
text UTF-8, and its shape checked before TOML or JSON is parsed (docs/data.md, "Your data"),
so that no file can make rarplan use memory or time out of proportion to its size. Writing
them: `rarplan.files.storage`.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rarplan.model.errors import InvalidInput

# Bounds checked before a file is parsed (docs/data.md, "Your data"): a parser's time and memory
# must not be the attacker's to choose. tomllib keeps, for each dotted key, every prefix of it:
# a 40 KB line `a.a.a...= 1` of 20,000 parts took 1.6 GB, so key depth is counted first.
MAX_INPUT_BYTES = 20 * 1024 * 1024  # any file read: case, plan, catalogue, attendance
MAX_LINE_CHARS = 100_000  # a text field holds at most 4,000 characters, escaped 6 times over
MAX_KEY_DEPTH = 16  # parts of one dotted key or table header (`a.b.c` is 3); rarplan's: ≤ 5
MAX_KEYS = 500_000  # `=` signs (and `:` in JSON) in one document


@contextlib.contextmanager
def reading(name: str, kind: str = "file") -> Iterator[None]:
    """Turn the ways opening a file fails into one clear `InvalidInput` line."""
    try:
        yield
    except FileNotFoundError:
        raise InvalidInput(f"{name}: {kind} not found") from None
    except IsADirectoryError:
        raise InvalidInput(f"{name}: is a folder, not a {kind}") from None
    except PermissionError:
        raise InvalidInput(f"{name}: permission denied") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{name}: not UTF-8 text") from None
    except OSError as exc:
        raise InvalidInput(f"{name}: cannot read: {exc.strerror or exc}") from None


def read_bytes(source: str | Path, kind: str = "file") -> tuple[bytes, str]:
    """The bytes of a file, or of stdin for '-', with the name to use in messages."""
    if str(source) == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        name = "<stdin>"
    else:
        name = str(source)
        with reading(name, kind), Path(source).open("rb") as fh:
            data = fh.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InvalidInput(f"{name}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    return data, name


def decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name}: not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise InvalidInput(f"{name}: contains a NUL byte; not a text file")
    return text


_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
# MAX_KEY_DEPTH dots with key parts between them: a dotted key (or table header) too deep.
# It starts with a literal, so the regex engine skips ahead to the dots (0.01 ms a plan).
_DEEP_KEY = re.compile(rf"\.(?:[ \t]*{_KEY_PART}[ \t]*\.){{{MAX_KEY_DEPTH - 1}}}")


def check_bounds(text: str, name: str) -> None:
    """Refuse, before parsing, a document whose shape would cost a parser time or memory out of
    proportion to its size: too long a line, too deep a key, too many keys. (Nesting
    deeper than the parser can go is its RecursionError, "nested too deeply".) Cheap: a few
    passes over the text, no parsing. The key count is an upper bound (`=` in a string
    counts too): the limit leaves room for that."""
    limits = "see docs/data.md, 'Your data'"
    keys = text.count("=") + (text.count(":") if text.lstrip()[:1] in ("{", "[") else 0)
    if keys > MAX_KEYS:
        raise InvalidInput(f"{name}: more than {MAX_KEYS:,} keys", hint=limits)
    lines = text.split("\n")
    if max(map(len, lines)) > MAX_LINE_CHARS:
        number = next(n for n, line in enumerate(lines, 1) if len(line) > MAX_LINE_CHARS)
        raise InvalidInput(
            f"{name}: line {number}: longer than {MAX_LINE_CHARS:,} characters", hint=limits
        )
    deep = _DEEP_KEY.search(text)
    if deep is not None:
        number = text.count("\n", 0, deep.start()) + 1
        raise InvalidInput(
            f"{name}: line {number}: a key of more than {MAX_KEY_DEPTH} dotted parts",
            hint=limits,
        )


def parse_document(text: str, name: str, fmt: str | None = None) -> dict[str, Any]:
    """Parse TOML or JSON (by `fmt`, the file's ending, or the first character), once its
    shape is within bounds (`check_bounds`)."""
    if fmt is None:
        lower = name.lower()
        if lower.endswith(".json") or lower.endswith(".jsonl"):
            fmt = "json"
        elif lower.endswith(".toml"):
            fmt = "toml"
        else:
            fmt = "json" if text.lstrip().startswith(("{", "[")) else "toml"
    if not text.strip():
        raise InvalidInput(f"{name}: the file is empty")
    check_bounds(text, name)
    try:
        value: Any = json.loads(text) if fmt == "json" else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{name}: not valid JSON: {exc.msg} (line {exc.lineno})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{name}: not valid TOML: {exc}") from None
    except RecursionError:
        raise InvalidInput(f"{name}: nested too deeply") from None
    except ValueError as exc:  # an integer of more digits than Python converts (4,300)
        raise InvalidInput(f"{name}: not valid {fmt.upper()}: {_first_words(exc)}") from None
    if not isinstance(value, dict):
        raise InvalidInput(f"{name}: expected a table of keys at the top, not {_kind(value)}")
    return value


def load_document(source: str | Path, fmt: str | None = None) -> tuple[dict[str, Any], str]:
    data, name = read_bytes(source)
    return parse_document(decode(data, name), name, fmt), name


def _first_words(exc: Exception) -> str:
    """The gist of a parser's ValueError, without the value it quotes."""
    text = str(exc)
    if "digits" in text:
        return "a number has too many digits"
    return text.split(":", 1)[0][:100]


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )
