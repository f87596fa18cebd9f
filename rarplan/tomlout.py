"""A small, fast TOML writer for rarplan's own documents (plans, records).

It walks pydantic models directly (fields in their declared order, None left out), writes
scalars and inline arrays first, then sub-tables, then arrays of tables, and can reuse the
encoded text of objects shared between documents (the catalogue's intervention results, the
same in thousands of plans). A property test checks `tomllib.loads(dumps(x)) == x`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from pydantic import BaseModel

from rarplan.errors import InvalidInput

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ENCODE_STR = json.JSONEncoder(ensure_ascii=False).encode

# id(object) -> its encoded array-of-tables body, for objects shared between documents.
Fragments = Mapping[int, str]
# Objects registered here must stay alive for the life of the process (their id is the key).
SHARED: dict[int, str] = {}


_BARE_KEYS: dict[str, str] = {}


def _key(key: str) -> str:
    known = _BARE_KEYS.get(key)
    if known is not None:
        return known
    text = key if _BARE.fullmatch(key) else _string(key)
    if len(_BARE_KEYS) < 1000:
        _BARE_KEYS[key] = text
    return text


def _string(value: str) -> str:
    text = _ENCODE_STR(value)
    if "\x7f" in text:
        text = text.replace("\x7f", "\\u007f")
    return text


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ "
            + ", ".join(f"{_key(k)} = {_scalar(v)}" for k, v in value.items() if v is not None)
            + " }"
        )
    if isinstance(value, BaseModel):
        return _scalar(_fields(value))
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _fields(value: Any) -> Mapping[str, Any]:
    return value.__dict__ if isinstance(value, BaseModel) else value


def _is_table(value: Any) -> bool:
    return type(value) is dict or isinstance(value, BaseModel)


def _float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


# The common scalar types, by exact type: one dictionary look-up instead of a chain of checks.
_FAST: dict[type, Any] = {
    str: _string,
    bool: lambda v: "true" if v else "false",
    int: str,
    float: _float,
    date: date.isoformat,
    datetime: datetime.isoformat,
}


def _table(out: list[str], value: Any, path: str, fragments: Fragments) -> None:
    tables = []
    arrays = []
    append = out.append
    for k, v in _fields(value).items():
        if v is None:
            continue
        fast = _FAST.get(type(v))
        if fast is not None:
            append(f"{_key(k)} = {fast(v)}\n")
        elif _is_table(v):
            tables.append((k, v))
        elif type(v) is list and v and _is_table(v[0]):
            arrays.append((k, v))
        else:
            append(f"{_key(k)} = {_scalar(v)}\n")
    for k, v in tables:
        name = f"{path}.{_key(k)}" if path else _key(k)
        append(f"\n[{name}]\n")
        _table(out, v, name, fragments)
    for k, v in arrays:
        name = f"{path}.{_key(k)}" if path else _key(k)
        header = f"\n[[{name}]]\n"
        for element in v:
            append(header)
            cached = fragments.get(id(element))
            if cached is not None:
                append(cached)
            else:
                _table(out, element, name, fragments)


def dumps(value: BaseModel | Mapping[str, Any], fragments: Fragments | None = None) -> str:
    """The document as TOML text."""
    out: list[str] = []
    _table(out, value, "", fragments or {})
    text = "".join(out)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            "text contains an unpaired surrogate character; cannot save it"
        ) from None
    return text


def fragment(value: BaseModel) -> str:
    """The body of one array-of-tables element whose fields are all scalars or inline arrays."""
    out: list[str] = []
    _table(out, value, "<unused>", {})
    return "".join(out)


__all__ = ["Fragments", "dumps", "fragment"]
