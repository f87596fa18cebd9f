"""The wizard's questions: questionary prompts that show the current answer as the default,
check each answer against the case model's own constraints, and save the draft after it.

A question whose path is in `draft.skip` was answered before an interruption: on resume it is
not asked again.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable, Sequence
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from rarplan.cli.wizard.draft import Draft

YES_NO_UNKNOWN = (("yes", "Yes"), ("no", "No"), ("unknown", "Not known"))
BLANK_IS_UNKNOWN = "blank if not known"


def _unwrap(annotation: Any) -> Any:
    """`X | None` -> X (keeping Annotated constraints)."""
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


@functools.cache
def adapter(path: str) -> TypeAdapter[Any]:
    """A validator for one case-file key, built from the case model's own field."""
    from rarplan.model.case import Case

    node: Any = Case
    annotation: Any = None
    for key in path.split("."):
        if isinstance(node, type) and issubclass(node, BaseModel):
            info = node.model_fields[key]
            annotation = (
                Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            )
        elif get_origin(node) is dict:
            annotation = get_args(node)[1]
        else:
            raise KeyError(path)
        node = _unwrap(annotation)
        if get_origin(node) is Annotated:
            node = get_args(node)[0]
    return TypeAdapter(annotation)


def friendly(exc: ValidationError) -> str:
    """The first problem, in words an officer would use."""
    errors = [e for e in exc.errors() if e["type"] != "none_required"] or exc.errors()
    err = errors[0]
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind.startswith("int_") and "pars" in kind or kind == "int_from_float":
        return "Enter a whole number"
    if kind.startswith("float_") and "pars" in kind:
        return "Enter a number"
    if kind.startswith("date_"):
        return "Enter a date as YYYY-MM-DD, e.g. 2027-01-11"
    if kind in ("greater_than_equal", "greater_than"):
        return f"Must be at least {_shown(ctx.get('ge', ctx.get('gt')))}"
    if kind in ("less_than_equal", "less_than"):
        return f"Must be at most {_shown(ctx.get('le', ctx.get('lt')))}"
    if kind == "string_too_long":
        return f"At most {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return "An answer is needed"
    return str(err["msg"]).removeprefix("Value error, ")


def parse(path: str, raw: str, required: bool) -> Any:
    """The typed value of a text answer ('' is None unless required); ValueError says why."""
    text = raw.strip()
    if not text:
        if required:
            raise ValueError("An answer is needed")
        return None
    if text.endswith("%"):
        text = text[:-1].strip()
    try:
        value = adapter(path).validate_python(text)
    except ValidationError as exc:
        raise ValueError(friendly(exc)) from None
    return adapter(path).dump_python(value, mode="json")


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _validator(check: Callable[[str], object]) -> Callable[[str], bool | str]:
    def validate(raw: str) -> bool | str:
        try:
            check(raw)
        except ValueError as exc:
            return str(exc)
        return True

    return validate


def ask_raw_text(
    message: str,
    default: str = "",
    *,
    instruction: str | None = None,
    check: Callable[[str], object] | None = None,
    completions: Sequence[str] = (),
) -> str:
    """A text prompt (no draft); `check` raises ValueError with the reason to refuse."""
    import questionary

    validate = _validator(check) if check else None
    if completions:
        question = questionary.autocomplete(
            message, list(completions), default=default, validate=validate
        )
    else:
        question = questionary.text(
            message, default=default, validate=validate, instruction=instruction
        )
    answer = question.unsafe_ask()
    if answer is None:  # never valid: treat like an interrupt
        raise KeyboardInterrupt
    return str(answer)


def text(
    draft: Draft,
    path: str,
    message: str,
    *,
    required: bool = False,
    instruction: str | None = None,
    default: Any = None,
    convert: Callable[[str], Any] | None = None,
    completions: Sequence[str] = (),
) -> Any:
    """Ask for one key's value as text, validated by the model; saves the draft."""
    if path in draft.skip:
        return draft.get(path)
    current = draft.get(path, default)
    if instruction is None and not required:
        instruction = f"({BLANK_IS_UNKNOWN})"

    def check(raw: str) -> Any:
        return convert(raw) if convert else parse(path, raw, required)

    raw = ask_raw_text(
        message, _shown(current), instruction=instruction, check=check, completions=completions
    )
    value = check(raw)
    draft.put(path, value)
    return value


def choose(
    message: str,
    choices: Sequence[tuple[Any, str]],
    default: Any = None,
    instruction: str | None = None,
) -> Any:
    """A select of (value, label) pairs, pointing at `default`; no draft."""
    import questionary

    options = [questionary.Choice(label, value=value) for value, label in choices]
    if default not in [value for value, _ in choices]:
        default = None
    answer = questionary.select(
        message, options, default=default, instruction=instruction
    ).unsafe_ask()
    if answer is None:
        raise KeyboardInterrupt
    return answer


def select(
    draft: Draft, path: str, message: str, choices: Sequence[tuple[Any, str]], default: Any = None
) -> Any:
    """Ask for one key's value from a list; `None` among the values means "not recorded"."""
    if path in draft.skip:
        return draft.get(path)
    marker = "\x00none"
    values = [(marker if v is None else v, label) for v, label in choices]
    current = draft.get(path, default)
    answer = choose(message, values, marker if current is None else current)
    value = None if answer == marker else answer
    draft.put(path, value)
    return value


def yes_no(draft: Draft, path: str, message: str) -> bool | None:
    """Yes / No / Not known for a `bool | None` key."""
    if path in draft.skip:
        value: bool | None = draft.get(path)
        return value
    current = draft.get(path)
    default = "unknown" if current is None else ("yes" if current else "no")
    answer = choose(message, YES_NO_UNKNOWN, default)
    result = None if answer == "unknown" else answer == "yes"
    draft.put(path, result)
    return result


def confirm(message: str, default: bool = True) -> bool:
    import questionary

    answer = questionary.confirm(message, default=default).unsafe_ask()
    if answer is None:
        raise KeyboardInterrupt
    return bool(answer)


def tick(
    message: str,
    choices: Sequence[tuple[Any, str]],
    checked: Sequence[Any],
    validate: Callable[[list[Any]], bool | str] | None = None,
    instruction: str = "(space to tick, enter when done)",
) -> list[Any]:
    """A checkbox of (value, label) pairs; no draft."""
    import questionary

    options = [
        questionary.Choice(label, value=value, checked=value in checked) for value, label in choices
    ]
    kwargs: dict[str, Any] = {"validate": validate} if validate else {}
    answer = questionary.checkbox(message, options, instruction=instruction, **kwargs).unsafe_ask()
    if answer is None:
        raise KeyboardInterrupt
    return list(answer)
