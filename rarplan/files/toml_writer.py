"""rarplan's TOML writer: plain data (dicts, lists, scalars, dates) as TOML text.

Why not tomli-w: it would write the same documents (as tomllib reads them back), but it
escapes strings a character at a time in Python. A plan file took 0.81 ms in tomli-w against
0.26 ms here (1,000 generated plans, best of seven, one CPU); a batch spends that once a plan,
and with tomli-w, `assess --batch` measured 1.28 ms of CPU a case: 100,000 plans could not be
written in the 60 s the issue sets on a two-CPU machine. Strings here go through the json
module's escaping (in C), whose escapes are all valid in a TOML basic string.

The layout, for every document:
- a table's plain values (scalars and arrays, on one line each) come first, in the
  document's order, then its sub-tables (`[a.b]`) and arrays of tables (`[[a.rows]]`), in the
  document's order, each after a blank line;
- None is left out (TOML has no null; rarplan's models read a missing key as None);
- keys are bare when they are letters, digits, `_` and `-` only, else quoted.
`multiline_strings=True` writes a string holding a line break as a multi-line string (for
documents people read, such as the completion record).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from datetime import date, time
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# JSON's escapes (\" \\ \b \f \n \r \t \uXXXX) are TOML's too. TOML also wants DEL (U+007F)
# escaped, which JSON leaves alone: it can only occur in a string, so `dumps` escapes it once
# over the whole text.
_string: Callable[[str], str] = json.encoder.encode_basestring
_ESCAPE = re.compile(r"\\(.)")


def dumps(document: Mapping[str, Any], *, multiline_strings: bool = False) -> str:
    """The document as TOML text."""
    out: list[str] = []
    _table(out, document, "", multiline_strings)
    text = "".join(out).removeprefix("\n")
    return text.replace("\x7f", "\\u007f") if "\x7f" in text else text


def _table(out: list[str], table: Mapping[str, Any], name: str, multiline: bool) -> None:
    tables = []
    for key, value in table.items():
        if value is None:
            continue
        if isinstance(value, dict) or (isinstance(value, list) and _is_array_of_tables(value)):
            tables.append((key, value))
        else:
            out.append(f"{_key(key)} = {_value(value, multiline)}\n")
    for key, value in tables:
        path = f"{name}.{_key(key)}" if name else _key(key)
        if isinstance(value, dict):
            out.append(f"\n[{path}]\n")
            _table(out, value, path, multiline)
        else:
            for row in value:
                out.append(f"\n[[{path}]]\n")
                _table(out, row, path, multiline)


def _is_array_of_tables(value: list[Any]) -> bool:
    # the first element decides most lists at once (a list of strings), before `all` is made
    return bool(value) and isinstance(value[0], dict) and all(isinstance(v, dict) for v in value)


@functools.lru_cache(maxsize=4096)  # a document's keys repeat: the models' field names
def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value: Any, multiline: bool = False) -> str:
    if isinstance(value, str):
        return _multiline(value) if multiline and "\n" in value else _string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):  # a tuple of types: faster than `int | float` here
        return repr(value)  # int or float: TOML reads back the same (inf and nan included)
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, time) and value.utcoffset() is None:
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(_value, value)) + "]"
    if isinstance(value, dict):  # a table inside an array: inline
        pairs = (f"{_key(k)} = {_value(v)}" for k, v in value.items() if v is not None)
        return "{ " + ", ".join(pairs) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _multiline(text: str) -> str:
    """A multi-line basic string: the escapes of one line, but each \\n a real line break (a
    quote stays escaped, so three in a row cannot end the string early)."""
    body = _ESCAPE.sub(lambda m: "\n" if m[1] == "n" else m[0], _string(text)[1:-1])
    return f'"""\n{body}"""'
