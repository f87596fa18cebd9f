"""The wizard's questions: one prompt per question, the current answer as the default, each
answer checked by the case model before it is kept, and the draft saved after it.

- Every question has a key (its case-file path, or a name for the wizard's own questions).
  A key in `draft.skip` is replayed, not asked: it was answered before an interruption
  (`--resume`) or before the question the officer went back to.
- Ctrl-B, or typing `back` at a text question, raises `Back`: the walk goes back one question.
- Yes/no questions take a single key: `y`, `n`, or `?` for "not known"; Enter takes the
  answer shown, if any.
- A refused answer is asked again with the reason in place of the hint, next to the question
  (never on the terminal's bottom line).
- Each prompt is wrapped at word boundaries to the terminal's width, and once answered it is
  replaced by one line echoing the answer in words (a multi-select names what was ticked).
"""

from __future__ import annotations

import functools
import shutil
import textwrap
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from rarplan.cli.wizard.draft import Draft

if TYPE_CHECKING:
    import questionary

BLANK_IS_UNKNOWN = "blank if not known"
BACK_WORD = "back"  # typed at a text question: the previous question
NOT_KNOWN = "Not known"


class Back(Exception):  # noqa: N818 - a request, not an error
    """The officer asked for the previous question (Ctrl-B, or `back` typed)."""


class _BackKey:
    """What a prompt returns when Ctrl-B is pressed."""


BACK_KEY = _BackKey()


@dataclass(frozen=True)
class Prompt:
    """One question as asked: its key, its kind and what it offers (the value pointed at or
    ticked, or the text shown). Tests answer prompts by these
    (tests/cli/wizard/test_wizard_count.py)."""

    key: str
    kind: str  # "text" | "select" | "yes_no" | "tick"
    message: str
    values: tuple[Any, ...] = ()
    default: Any = None


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
        return "Enter a date as DD/MM/YYYY or YYYY-MM-DD, e.g. 11/01/2027"
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


# --- the prompts themselves


def width() -> int:
    return max(shutil.get_terminal_size((80, 24)).columns, 40)


def wrap(message: str, hint: str = "") -> tuple[str, str]:
    """The message wrapped at word boundaries (after the "? " mark), and the hint: on the last
    line if it fits with room to type, else on a line of its own."""
    room = width() - 3
    lines = textwrap.wrap(message, room) or [""]
    if hint and len(lines[-1]) + len(hint) + 14 > room:
        hints = textwrap.wrap(hint, room - 2)
        return "\n  ".join([*lines, *hints[:-1]]) + "\n ", hints[-1]
    return "\n  ".join(lines), hint


def _style(error: bool) -> Any:
    from prompt_toolkit.styles import Style

    return Style([("qmark", "fg:ansired bold"), ("instruction", "fg:ansired")]) if error else None


def _back_bindings(question: questionary.Question) -> None:
    """Ctrl-B ends any prompt with BACK_KEY."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add("c-b", eager=True)
    def _(event: Any) -> None:
        event.app.exit(result=BACK_KEY)

    app = question.application
    app.key_bindings = (
        merge_key_bindings([app.key_bindings, bindings]) if app.key_bindings else bindings
    )
    app.erase_when_done = True  # the answer is echoed in words instead (`echo`)


def run(prompt: Prompt, question: questionary.Question) -> Any:
    """Ask one question (every prompt of the wizard goes through here)."""
    _back_bindings(question)
    answer = question.unsafe_ask()
    if answer is BACK_KEY:
        raise Back
    if answer is None:  # never valid: treat like an interrupt
        raise KeyboardInterrupt
    return answer


def echo(message: str, answer: str) -> None:
    """The question and its answer, as one line (wrapped at word boundaries by rich)."""
    from rich.markup import escape

    from rarplan.cli.output import rich_console

    rich_console().print(f"[bold]?[/bold] {escape(message)} [cyan]{escape(answer)}[/cyan]")


def ask_raw_text(
    message: str,
    default: str = "",
    *,
    key: str = "",
    instruction: str | None = None,
    check: Callable[[str], object] | None = None,
    completions: Sequence[str] = (),
) -> str:
    """A text prompt; `check` raises ValueError with the reason to refuse, which is shown in
    place of the hint and the answer kept to correct. Typing `back` raises Back."""
    import questionary

    error = ""
    typed = default
    while True:
        shown, hint = wrap(message, f"✗ {error}" if error else instruction or "")
        prompt = Prompt(key or message, "text", message, default=typed)
        options: dict[str, Any] = {"default": typed, "style": _style(bool(error))}
        if completions:
            q = questionary.autocomplete(f"{shown} {hint}".rstrip(), list(completions), **options)
        else:
            q = questionary.text(shown, instruction=hint or None, **options)
        raw = str(run(prompt, q))
        if raw.strip().lower() == BACK_WORD:
            raise Back
        try:
            if check is not None:
                check(raw)
        except ValueError as exc:
            error, typed = str(exc), raw
            continue
        echo(message, raw.strip() or "(blank)")
        return raw


def choose(
    message: str,
    choices: Sequence[tuple[Any, str]],
    default: Any = None,
    instruction: str | None = None,
    *,
    key: str = "",
) -> Any:
    """A select of (value, label) pairs, pointing at `default`."""
    import questionary

    values = [value for value, _ in choices]
    if default not in values:
        default = None
    shown, hint = wrap(message, instruction or "")
    options = [questionary.Choice(label, value=value) for value, label in choices]
    q = questionary.select(shown, options, default=default, instruction=hint or None)
    answer = run(Prompt(key or message, "select", message, tuple(values), default), q)
    echo(message, dict(choices)[answer])
    return answer


def ask_yes_no(
    message: str, default: bool | None = None, *, key: str = "", unknown: bool = True
) -> bool | None:
    """y or n (and `?` for "not known" when `unknown`), one key; Enter takes `default` when
    there is one. Another key shows what to type, next to the question."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import to_formatted_text
    from prompt_toolkit.key_binding import KeyBindings
    from questionary import Question

    keys = "y/n, ? if not known" if unknown else "y/n"
    if default is not None:
        keys += f"; Enter: {'yes' if default else 'no'}"
    shown, hint = wrap(message, f"({keys})")
    state: dict[str, Any] = {"error": ""}

    def tokens() -> Any:
        note = f"✗ type {keys.split(';')[0]}" if state["error"] else hint
        return to_formatted_text(
            [
                ("class:qmark", "?"),
                ("class:question", f" {shown} "),
                ("class:instruction" if not state["error"] else "fg:ansired", f"{note} "),
            ]
        )

    bindings = KeyBindings()

    @bindings.add("c-c", eager=True)
    def _interrupt(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt)

    for char, meaning in (("y", True), ("n", False), *((("?", None),) if unknown else ())):
        for k in {char, char.upper()}:

            @bindings.add(k)
            def _answer(event: Any, meaning: bool | None = meaning) -> None:
                event.app.exit(result=("answer", meaning))

    @bindings.add("b")
    def _back(event: Any) -> None:
        event.app.exit(result=BACK_KEY)

    @bindings.add("enter", eager=True)
    def _enter(event: Any) -> None:
        if default is None:
            state["error"] = "x"
        else:
            event.app.exit(result=("answer", default))

    @bindings.add("<any>")
    def _other(event: Any) -> None:
        state["error"] = "x"

    from questionary.styles import merge_styles_default

    session: PromptSession[Any] = PromptSession(
        tokens, key_bindings=bindings, style=merge_styles_default([None])
    )
    values: tuple[Any, ...] = (True, False, None) if unknown else (True, False)
    answer = run(Prompt(key or message, "yes_no", message, values, default), Question(session.app))
    value: bool | None = answer[1]
    echo(message, NOT_KNOWN if value is None else ("Yes" if value else "No"))
    return value


def tick(
    message: str,
    choices: Sequence[tuple[Any, str]],
    checked: Sequence[Any],
    validate: Callable[[list[Any]], bool | str] | None = None,
    instruction: str = "(space to tick, enter when done)",
    *,
    key: str = "",
) -> list[Any]:
    """A checkbox of (value, label) pairs; the echo names what was ticked."""
    import questionary

    error = ""
    ticked = list(checked)
    while True:
        shown, hint = wrap(message, f"✗ {error}" if error else instruction)
        options = [
            questionary.Choice(label, value=value, checked=value in ticked)
            for value, label in choices
        ]
        q = questionary.checkbox(shown, options, instruction=hint, style=_style(bool(error)))
        values = tuple(value for value, _ in choices)
        answer = list(run(Prompt(key or message, "tick", message, values, tuple(ticked)), q))
        verdict = validate(answer) if validate else True
        if verdict is not True:
            error, ticked = str(verdict), answer
            continue
        labels = dict(choices)
        echo(message, ", ".join(labels[v] for v in answer) or "none")
        return answer


# --- questions that keep their answer in the draft


def replayed(draft: Draft, key: str) -> bool:
    """Whether the question is replayed (answered before): recorded as asked either way."""
    draft.asked.append(key)
    if key in draft.skip:
        draft.pending.clear()  # what was said before it belongs to an earlier pass
        return True
    draft.flush()
    return False


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
    show: Callable[[Any], str] | None = None,
) -> Any:
    """Ask for one key's value as text, validated by the model; saves the draft. `show` words
    the current answer for the officer to edit (a date as DD/MM/YYYY)."""
    if replayed(draft, path):
        return draft.get(path)
    current = draft.get(path, default)
    if instruction is None and not required:
        instruction = f"({BLANK_IS_UNKNOWN})"

    def check(raw: str) -> Any:
        return convert(raw) if convert else parse(path, raw, required)

    raw = ask_raw_text(
        message,
        (show or _shown)(current),
        key=path,
        instruction=instruction,
        check=check,
        completions=completions,
    )
    value = check(raw)
    draft.put(path, value)
    return value


def select(
    draft: Draft, path: str, message: str, choices: Sequence[tuple[Any, str]], default: Any = None
) -> Any:
    """Ask for one key's value from a list; `None` among the values means "not recorded"."""
    if replayed(draft, path):
        return draft.get(path)
    marker = "\x00none"
    values = [(marker if v is None else v, label) for v, label in choices]
    current = draft.get(path, default)
    answer = choose(message, values, marker if current is None else current, key=path)
    value = None if answer == marker else answer
    draft.put(path, value)
    return value


def yes_no(draft: Draft, path: str, message: str, default: bool | None = None) -> bool | None:
    """y / n / ? (not known) for a `bool | None` key; Enter keeps the answer recorded, or takes
    `default` (the usual answer) when there is none."""
    if replayed(draft, path):
        recorded: bool | None = draft.get(path)
        return recorded
    current = draft.get(path)
    result = ask_yes_no(message, default if current is None else current, key=path)
    draft.put(path, result)
    return result


def own(draft: Draft, key: str, ask: Callable[[Any], Any]) -> Any:
    """A question of the wizard's own (not a case-file key): its answer is kept in the draft's
    `memo`, so going back or resuming replays it. `ask(current)` asks it."""
    if replayed(draft, key):
        return draft.memo.get(key)
    answer = ask(draft.memo.get(key))
    draft.memo[key] = answer
    draft.save()
    return answer


def confirm(message: str, default: bool = True, *, key: str = "") -> bool:
    """y or n, Enter taking `default`."""
    return bool(ask_yes_no(message, default, key=key, unknown=False))
