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
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import Any, NamedTuple

from pydantic import BaseModel

from rarplan.model.errors import InvalidInput

_BARE = re.compile(r"[A-Za-z0-9_-]+")
# JSON's escapes are all valid in a TOML basic string. DEL is the one character TOML wants
# escaped that JSON leaves alone: it can only occur inside strings, so `dumps` and `fragment`
# escape it once over the whole text instead of string by string.
_ENCODE_STR: Any = json.encoder.encode_basestring

# id(object) -> its encoded array-of-tables body, for objects shared between documents.
Fragments = Mapping[int, str]
# Objects registered by `share`, by id; they are kept alive here, so no other object can take
# their id while their text is held.
SHARED: dict[int, str] = {}
_SHARED_BYTES: dict[int, bytes] = {}  # the same texts, encoded
_SHARED_ALIVE: list[BaseModel] = []


def share(value: BaseModel) -> None:
    """Register an object shared between documents (for good: callers bound how many):
    `dumps` and `dumpb` given `SHARED` write its text made here once."""
    text = fragment(value)
    _SHARED_ALIVE.append(value)
    SHARED[id(value)] = text
    _SHARED_BYTES[id(value)] = _utf8(text)


_BARE_KEYS: dict[str, str] = {}


def _key(key: str) -> str:
    known = _BARE_KEYS.get(key)
    if known is not None:
        return known
    text = key if _BARE.fullmatch(key) else _ENCODE_STR(key)
    if len(_BARE_KEYS) < 1000:
        _BARE_KEYS[key] = text
    return text


def _escape_del(text: str) -> str:
    return text.replace("\x7f", "\\u007f") if "\x7f" in text else text


_TEMPORAL = (datetime, date, time)  # tuples: `a | b` would make a union object each call
_SEQUENCE = (list, tuple)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _ENCODE_STR(value)  # type: ignore[no-any-return]
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, _TEMPORAL):
        return value.isoformat()
    if isinstance(value, _SEQUENCE):
        return _array(value)
    if isinstance(value, dict):
        return (
            "{ "
            + ", ".join(f"{_key(k)} = {_scalar(v)}" for k, v in value.items() if v is not None)
            + " }"
        )
    if isinstance(value, BaseModel):
        return _scalar(_fields(value))
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _array(value: list[Any] | tuple[Any, ...]) -> str:
    try:  # most lists hold only strings: one call encodes them all
        return "[" + ", ".join(map(_ENCODE_STR, value)) + "]"
    except TypeError:
        return "[" + ", ".join(_scalar(v) for v in value) + "]"


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
    str: _ENCODE_STR,
    bool: {True: "true", False: "false"}.__getitem__,
    int: str,
    float: _float,
    date: date.isoformat,
    datetime: datetime.isoformat,
    list: _array,
}


def _table(
    out: list[Any], value: Any, path: str, fragments: Fragments, blocks: list[int] | None = None
) -> None:
    """Append the table's text to `out`. With `blocks` (for `dumpb`), an array whose elements
    all have fragments goes in as one bytes block, its place noted in `blocks`."""
    if isinstance(value, BaseModel):
        fields = value.__dict__
        key = (type(value), tuple(map(type, fields.values())))
        template = _TEMPLATES.get(key, _UNKNOWN)
        if template is _UNKNOWN:
            template = _template(key, fields)
        if template is not None:
            if template.write is not None:  # most models: scalars only
                out.append(template.write(fields))
            else:
                _runs(out, template, fields, fragments, blocks)
            if template.tables:
                for k, name, header in template.headers.get(path) or _headers(template, path):
                    out.append(header)
                    _table(out, fields[k], name, fragments, blocks)
            for k in template.arrays:
                rows = fields[k]
                if rows:
                    _array_of_tables(out, f"{path}.{k}" if path else k, rows, fragments, blocks)
            return
    elif not value:  # an empty dict: its header alone
        return
    tables = []
    arrays = []
    append = out.append
    keys = _BARE_KEYS
    fast_types = _FAST
    for k, v in (value.__dict__ if isinstance(value, BaseModel) else value).items():
        if v is None:
            continue
        fast = fast_types.get(type(v))
        if fast is None:
            if type(v) is dict or isinstance(v, BaseModel):
                tables.append((k, v))
                continue
            fast = _scalar
        elif fast is _array and v and _is_table(v[0]):
            if getattr(v[0], "__toml_inline__", False):
                _inline_rows(out, keys.get(k) or _key(k), v, fragments, blocks)
            else:
                arrays.append((k, v))
            continue
        append(f"{keys.get(k) or _key(k)} = {fast(v)}\n")
    for k, v in tables:
        name = f"{path}.{_key(k)}" if path else _key(k)
        append(f"\n[{name}]\n")
        _table(out, v, name, fragments, blocks)
    for k, v in arrays:
        _array_of_tables(out, f"{path}.{_key(k)}" if path else _key(k), v, fragments, blocks)


def _array_of_tables(
    out: list[Any], name: str, rows: list[Any], fragments: Fragments, blocks: list[int] | None
) -> None:
    header = f"\n[[{name}]]\n"
    if _as_block(out, blocks, rows, fragments, header, header, ""):
        return
    for element in rows:
        out.append(header)
        body = fragments.get(id(element))
        if body is not None:
            out.append(body)
        else:
            _table(out, element, name, fragments, blocks)


class _Template(NamedTuple):
    """How a model's table is written, for one combination of its values' types: its scalars
    and inline arrays by a function generated for them (one f-string, no loop), then its
    sub-tables and arrays of tables, as the general loop writes them."""

    write: Callable[[dict[str, Any]], str] | None  # all the scalars, when no inline rows
    runs: tuple[tuple[Callable[[dict[str, Any]], str] | None, str], ...]  # else: in turn
    tables: tuple[str, ...]  # fields holding a sub-table
    arrays: tuple[str, ...]  # fields holding a list of models, written after the tables
    headers: dict[str, tuple[tuple[str, str, str], ...]]  # path -> `_headers`


_UNKNOWN: Any = object()
# (model class, its values' types in the order of its __dict__) -> its template, or None for
# the general loop. A template reads the values by name and writes them in field order.
_TEMPLATES: dict[tuple[type, tuple[type, ...]], _Template | None] = {}
# How each scalar type is written inside a generated f-string ("{}" stands for the value).
_SPELLING = {
    str: "E({})",
    bool: "B[{}]",
    int: "{}",  # f"{v}" of an int is str(v)
    float: "F({})",
    date: "{}.isoformat()",
    datetime: "{}.isoformat()",
}
_NAMESPACE = {"E": _ENCODE_STR, "B": {True: "true", False: "false"}, "F": _float, "A": _array}


def _template(key: tuple[type, tuple[type, ...]], fields: dict[str, Any]) -> _Template | None:
    """Build (and keep) the template for a model's values, or None if its fields are not all
    of the kinds a template writes (the general loop writes those)."""
    model = key[0]
    assert issubclass(model, BaseModel)
    found = _build_template(model, fields) if fields.keys() == model.model_fields.keys() else None
    if len(_TEMPLATES) < 2_000:
        _TEMPLATES[key] = found
    return found


def _build_template(model: type[BaseModel], fields: dict[str, Any]) -> _Template | None:
    runs: list[tuple[Callable[[dict[str, Any]], str] | None, str]] = []
    pieces: list[str] = []
    tables: list[str] = []
    arrays: list[str] = []
    for name, info in model.model_fields.items():
        if not _BARE.fullmatch(name):
            return None
        value = fields[name]
        kind = type(value)
        element = _model_list(info.annotation)
        v = f"d['{name}']"  # the value, in the generated code
        if value is None:
            continue
        if kind is dict or isinstance(value, BaseModel):
            tables.append(name)
        elif element is not None and kind is list:
            if getattr(element, "__toml_inline__", False):
                runs.append((_writer(pieces), ""))
                pieces = []
                runs.append((None, name))
            else:
                # written here only when empty; otherwise as an array of tables, later
                pieces.append(f"{{'' if {v} else '{name} = []' + NL}}")
                arrays.append(name)
        elif kind is list:
            pieces.append(f"{name} = {{A({v}) if {v} else '[]'}}\\n")
        elif kind in _SPELLING:
            pieces.append(f"{name} = {{{_SPELLING[kind].format(v)}}}\\n")
        else:
            return None
    runs.append((_writer(pieces), ""))
    kept = tuple(r for r in runs if r[0] is not None or r[1])
    only = kept[0][0] if len(kept) == 1 else None
    return _Template(only, () if only else kept, tuple(tables), tuple(arrays), {})


def _writer(pieces: list[str]) -> Callable[[dict[str, Any]], str] | None:
    if not pieces:
        return None
    source = f'def write(d):\n    return f"{"".join(pieces)}"\n'
    namespace = dict(_NAMESPACE, NL="\n")
    exec(source, namespace)  # noqa: S102 - built from field names checked to be bare keys
    return namespace["write"]  # type: ignore[no-any-return]


def _model_list(annotation: Any) -> type[BaseModel] | None:
    """The model M of a field declared `list[M]` (or `list[M] | None`), else None."""
    for option in typing.get_args(annotation) if _is_union(annotation) else (annotation,):
        if typing.get_origin(option) is list:
            (element,) = typing.get_args(option) or (None,)
            if isinstance(element, type) and issubclass(element, BaseModel):
                return element
    return None


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _runs(
    out: list[Any],
    template: _Template,
    fields: dict[str, Any],
    fragments: Fragments,
    blocks: list[int] | None,
) -> None:
    """Scalars around inline rows, in field order."""
    for write, inline in template.runs:
        if write is not None:
            out.append(write(fields))
        else:
            rows = fields[inline]
            if rows:
                _inline_rows(out, inline, rows, fragments, blocks)
            else:
                out.append(f"{inline} = []\n")


def _headers(template: _Template, path: str) -> tuple[tuple[str, str, str], ...]:
    """(field, table name, header line) of each sub-table, for a table at `path`."""
    found = []
    for k in template.tables:
        name = f"{path}.{k}" if path else k
        found.append((k, name, f"\n[{name}]\n"))
    if len(template.headers) < 100:
        template.headers[path] = tuple(found)
    return tuple(found)


def _as_block(
    out: list[Any],
    blocks: list[int] | None,
    rows: list[Any],
    fragments: Fragments,
    start: str,
    between: str,
    end: str,
) -> bool:
    """For `dumpb`, an array whose elements are all shared fragments goes in as one bytes block
    (its place noted in `blocks`); False when it is to be written as text. The fragments of
    `SHARED` were encoded once, by `share`: a few non-Latin-1 characters in them (the card's
    curly quotes) do not make the whole document a wide string to join and encode."""
    if blocks is None:
        return False
    if fragments is SHARED:
        encoded: list[bytes | None] = list(map(_SHARED_BYTES.get, map(id, rows)))
    else:
        bodies = [fragments.get(id(row)) for row in rows]
        encoded = [None if body is None else _utf8(body) for body in bodies]
    # `all`, not `None in` (which compares each with None): an empty fragment, if any, only
    # sends the rows down the text path, which writes the same
    if not all(encoded):
        return False
    blocks.append(len(out))
    if between:
        out.append(start.encode() + between.encode().join(encoded) + end.encode())  # type: ignore[arg-type]
    else:
        encoded.insert(0, start.encode())
        encoded.append(end.encode())
        out.append(b"".join(encoded))  # type: ignore[arg-type]
    return True


def _inline_rows(
    out: list[Any], key: str, rows: list[Any], fragments: Fragments, blocks: list[int] | None
) -> None:
    """An array of models marked `__toml_inline__`: one inline table a line, fields left at
    their defaults left out (TOML readers fill them back in), so a long list stays short."""
    if _as_block(out, blocks, rows, fragments, f"{key} = [\n", "", "]\n"):
        return
    bodies = [fragments.get(id(row)) for row in rows]
    lines = [
        body if body is not None else _inline_row(row)
        for body, row in zip(bodies, rows, strict=True)
    ]
    out.append(f"{key} = [\n{''.join(lines)}]\n")


def _inline_row(row: BaseModel) -> str:
    fields = type(row).model_fields
    parts = []
    for k, v in row.__dict__.items():
        info = fields.get(k)
        if v is None or (
            info is not None
            and not info.is_required()
            and v == info.get_default(call_default_factory=True)
        ):
            continue
        parts.append(f"{_key(k)} = {_scalar(v)}")
    return "    { " + ", ".join(parts) + " },\n"


def dumps(value: BaseModel | Mapping[str, Any], fragments: Fragments | None = None) -> str:
    """The document as TOML text."""
    text = _text(value, fragments)
    _utf8(text)
    return text


def dumpb(value: BaseModel | Mapping[str, Any], fragments: Fragments | None = None) -> bytes:
    """The document as UTF-8 bytes, ready to write: the same bytes as `dumps(...).encode()`."""
    out: list[Any] = []
    blocks: list[int] = []
    _table(out, value, "", fragments or {}, blocks)
    parts = []
    start = 0
    for at in blocks:
        parts.append(_utf8(_escape_del("".join(out[start:at]))))
        parts.append(out[at])
        start = at + 1
    parts.append(_utf8(_escape_del("".join(out[start:]))))
    return b"".join(parts)


def _text(value: BaseModel | Mapping[str, Any], fragments: Fragments | None) -> str:
    out: list[str] = []
    _table(out, value, "", fragments or {})
    return _escape_del("".join(out))


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            "text contains an unpaired surrogate character; cannot save it"
        ) from None


def fragment(value: BaseModel) -> str:
    """How one element of an array is written, to share between documents: its line if its
    model is `__toml_inline__`, else its body as an array-of-tables element (whose fields are
    all scalars or inline arrays)."""
    if getattr(value, "__toml_inline__", False):
        return _escape_del(_inline_row(value))
    out: list[str] = []
    _table(out, value, "<unused>", {})
    return _escape_del("".join(out))


__all__ = ["Fragments", "dumpb", "dumps", "fragment"]
