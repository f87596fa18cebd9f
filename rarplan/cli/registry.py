"""Every command, its module and its one-line summary: the one place commands are listed.

Kept free of imports so `rarplan --help` can print without loading typer (see main.py).
"""

from __future__ import annotations

# (name, "module:function", summary). A `catalogue` group has its own subcommands.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "assess",
        "rarplan.cli.commands.assess:assess",
        "Assess needs: band, guideline days, eligible interventions; write the plan.",
    ),
    (
        "schedule",
        "rarplan.cli.commands.schedule:schedule",
        "Turn the plan's interventions into dated appointments within the RAR days.",
    ),
    (
        "attend",
        "rarplan.cli.commands.attend:attend",
        "Record attendance at appointments (from a file, or one by one).",
    ),
    (
        "complete",
        "rarplan.cli.commands.complete:complete",
        "Record outcomes and close the RAR with a completion record.",
    ),
    (
        "amend",
        "rarplan.cli.commands.amend:amend",
        "Amend a plan: interventions, hours, outcomes, officer, agreement, with a reason.",
    ),
    (
        "end",
        "rarplan.cli.commands.end:end",
        "End a RAR other than by completion (revoked, transferred, ...) with an end record.",
    ),
    (
        "show",
        "rarplan.cli.commands.show:show",
        "One plan on one screen: order, days, next appointments, failures, outcomes.",
    ),
    (
        "history",
        "rarplan.cli.commands.history:history",
        "Every change to a plan: who, when, why and what changed.",
    ),
    (
        "verify",
        "rarplan.cli.commands.verify:verify",
        "Check a completion record still matches its plan.",
    ),
    (
        "status",
        "rarplan.cli.commands.status:status",
        "The caseload: one row per plan in a folder, most urgent first.",
    ),
    (
        "agenda",
        "rarplan.cli.commands.agenda:agenda",
        "The appointments across the caseload on a day or in a week.",
    ),
    (
        "render",
        "rarplan.cli.commands.render:render",
        "Write the plan for the person, the court proposal or the referral sheet.",
    ),
    (
        "band",
        "rarplan.cli.commands.band:band",
        "Look up the RAR intensity band and guideline days for an OGRS score.",
    ),
    (
        "ogrs",
        "rarplan.cli.commands.ogrs:ogrs",
        "Estimate OGRS3 1-year and 2-year scores from the published formula.",
    ),
    ("arp", "rarplan.cli.commands.arp:arp", "Estimate the static 2-year ARP score and band it."),
)
GROUPS: tuple[tuple[str, str, str], ...] = (
    (
        "catalogue",
        "rarplan.cli.commands.catalogue:COMMANDS",
        "List, show and check the intervention catalogue.",
    ),
)

EXIT_CODES: tuple[tuple[int, str], ...] = (
    (0, "success"),
    (1, "internal error (a bug: the traceback is saved, never printed)"),
    (2, "usage error"),
    (3, "invalid input data (case, plan, attendance or catalogue file)"),
    (4, "refused by the rules (cannot fit, no rationale, excluded intervention, too many days)"),
    (5, "would overwrite a file (use --force), or the file is locked"),
    (130, "interrupted"),
    (141, "stdout closed by its reader (`| head`): stopped quietly"),
)
