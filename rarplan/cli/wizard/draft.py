"""Drafts of the interactive assessment: the answers so far, saved after every answer.

A draft holds personal data, so it lives in a private folder (0700) under
`$XDG_STATE_HOME/rarplan/drafts/` (default `~/.local/state/rarplan/drafts/`), is written 0600
and atomically, is named by CRN (never by name), and is deleted once the plan is written.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

DRAFT_VERSION = 1
RULE = "\x00rule:"  # a pending heading, printed as a rule
RESUME_HINT = "Draft saved; continue with `rarplan assess --resume`"


def drafts_dir(create: bool = True) -> Path:
    """The drafts folder, created private (0700) when `create`."""
    base = os.environ.get("XDG_STATE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "state"
    folder = root / "rarplan" / "drafts"
    if create:
        from rarplan.files.storage import private_folder

        private_folder(folder)  # any folder it makes, 0700 whatever the umask
        for own in (folder.parent, folder):
            os.chmod(own, 0o700)
    return folder


class Draft:
    """The answers so far (a case dict, JSON-ready), which section comes next, and where it is
    saved. Every `put` saves it, so Ctrl-C loses at most the question on screen."""

    def __init__(
        self,
        folder: Path,
        data: dict[str, Any] | None = None,
        next_section: str = "identity",
        answered: list[str] | None = None,
        out: str | None = None,
        memo: dict[str, Any] | None = None,
    ) -> None:
        self.folder = folder
        self.data: dict[str, Any] = data or {}
        self.next = next_section
        self.answered: list[str] = list(answered or [])
        self.out = out
        self.memo: dict[str, Any] = dict(memo or {})  # answers to the wizard's own questions
        self.skip: set[str] = set()  # questions replayed, not asked (resumed, or gone back)
        self.asked: list[str] = []  # the questions of this pass, in order (for going back)
        self.pending: list[str] = []  # what is said before the next question is asked
        self.target: str | None = None  # the question gone back to: asked even if answered
        self._saved_as: Path | None = None

    # --- the answers, by dotted path ("sentence.start_date", "plan.overrides.job-club")
    def get(self, path: str, default: Any = None) -> Any:
        node: Any = self.data
        for key in path.split("."):
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return default if node is None else node

    def put(self, path: str, value: Any, *, save: bool = True) -> None:
        *parents, last = path.split(".")
        node = self.data
        for key in parents:
            node = node.setdefault(key, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
        if path not in self.answered:
            self.answered.append(path)
        if save:
            self.save()

    def mark(self, path: str) -> None:
        """Record that a question answered in several keys (a checkbox of facts) was answered."""
        if path not in self.answered:
            self.answered.append(path)
        self.save()

    def drop(self, path: str) -> None:
        """Forget an answer (and that it was given), e.g. the hours of an unticked service."""
        *parents, last = path.split(".")
        node: Any = self.data
        for key in parents:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(last, None)
        if path in self.answered:
            self.answered.remove(path)

    def revisit(self, key: str) -> bool:
        """Whether an answered question comes round again: replayed, or gone back to."""
        return key in self.skip or key == self.target

    # --- what is said between questions: shown with the next question asked, dropped when the
    # next question is only replayed (it was said when that question was first asked)
    def say(self, message: str) -> None:
        self.pending.append(message)

    def flush(self) -> None:
        from rarplan.cli.output import rich_console

        for message in self.pending:
            if message.startswith(RULE):
                rich_console().print()
                rich_console().rule(message[len(RULE) :])
            else:
                rich_console().print(message)
        self.pending.clear()

    # --- on disk
    @property
    def crn(self) -> str | None:
        crn = self.data.get("crn")
        return crn if isinstance(crn, str) and crn else None

    @property
    def path(self) -> Path | None:
        return self.folder / f"{self.crn}.json" if self.crn else None

    def save(self) -> Path | None:
        """Write the draft (0600, atomic); nothing to save before the CRN is known."""
        from rarplan.files.storage import atomic_write

        target = self.path
        if target is None:
            return None
        document = {
            "draft_version": DRAFT_VERSION,
            "saved": datetime.now().isoformat(timespec="seconds"),
            "next": self.next,
            "answered": self.answered,
            "out": self.out,
            "memo": self.memo,
            "answers": self.data,
        }
        text = json.dumps(document, ensure_ascii=False, indent=1, default=str)
        atomic_write(target, text + "\n", overwrite=True, keep=False)
        if self._saved_as is not None and self._saved_as != target:
            # The CRN was corrected: the draft follows it, never two drafts of one case.
            self._saved_as.unlink(missing_ok=True)
        self._saved_as = target
        return target

    def delete(self) -> None:
        for path in {self._saved_as, self.path}:
            if path is not None:
                path.unlink(missing_ok=True)


def load(path: Path) -> Draft:
    from rarplan.model.errors import InvalidInput

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or not isinstance(raw.get("answers"), dict):
            raise ValueError("not a rarplan draft")
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            f"{path}: cannot read this draft ({exc})",
            hint="delete it and start again with `rarplan assess`",
        ) from None
    draft = Draft(
        path.parent,
        raw["answers"],
        str(raw.get("next") or "identity"),
        [str(p) for p in raw.get("answered") or []],
        raw.get("out"),
        raw.get("memo") if isinstance(raw.get("memo"), dict) else None,
    )
    draft._saved_as = path
    return draft


def existing(folder: Path) -> list[Path]:
    """Drafts in the folder, most recent first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)


def saved_at(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime).strftime("%d %b %Y %H:%M")
