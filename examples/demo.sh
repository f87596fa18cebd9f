#!/usr/bin/env bash
# `make demo`: rarplan's main job on a shipped example, end to end, in ./demo-out/.
#   assess → schedule (with a calendar) → attendance from a file → the warning letter recorded →
#   re-plan offering the missed sessions → amend → show → agenda → complete → verify → status →
#   documents
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=demo-out
rm -rf "$out"
mkdir -p "$out"
cd "$out"

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ] && [ "${TERM:-}" != dumb ]; then
  step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "$2"; }
else
  step() { printf '\n== %s\n$ %s\n' "$1" "$2"; }
fi

step "The catalogues (the national Structured Interventions and the KSS CRC rate card)" "rarplan catalogue list --need accommodation"
rarplan catalogue list --need accommodation

step "Assess a sentenced case" "rarplan assess $here/cases/X100001.toml"
rarplan assess "$here/cases/X100001.toml"

step "Pre-sentence proposal for another case" "rarplan assess $here/cases/X100002.toml --no-plan"
rarplan assess "$here/cases/X100002.toml" --no-plan

step "On licence: no RAR days, the needs planned as licence activity" "rarplan assess $here/cases/X100009.toml --no-plan"
rarplan assess "$here/cases/X100009.toml" --no-plan

step "Schedule it, with a calendar file" "rarplan schedule X100001.plan.toml --ics X100001.ics"
rarplan schedule X100001.plan.toml --ics X100001.ics

step "Record attendance from a file" "rarplan attend X100001.plan.toml --attendance $here/attendance.csv"
rarplan attend X100001.plan.toml --attendance "$here/attendance.csv" --today 2027-03-02

step "Record the warning letter given for the failure to attend" "rarplan attend X100001.plan.toml --action warning --on 2027-02-09"
rarplan attend X100001.plan.toml --action warning --on 2027-02-09 --today 2027-03-02

step "Re-plan: the missed sessions offered again, the calendar updated in place" "rarplan schedule X100001.plan.toml --from 2027-03-03 --reason ... --ics X100001.ics"
rarplan schedule X100001.plan.toml --from 2027-03-03 --reason "missed sessions offered again" \
  --by "RO 4471" --ics X100001.ics

step "The same attendance file again changes nothing" "rarplan attend X100001.plan.toml --attendance $here/attendance.csv"
rarplan attend X100001.plan.toml --attendance "$here/attendance.csv" --today 2027-03-02

step "Amend the plan, with a reason" "rarplan amend X100001.plan.toml --hours msrp-future=5 --from 2027-03-03 --reason ..."
rarplan amend X100001.plan.toml --hours msrp-future=5 --from 2027-03-03 --by "RO 4471" \
  --reason "Started a work trial; one session fewer is enough"

step "The case at a glance" "rarplan show X100001.plan.toml"
rarplan show X100001.plan.toml --today 2027-03-02

step "The week's appointments across the caseload" "rarplan agenda . --week --day 2027-03-08"
rarplan agenda . --week --day 2027-03-08

step "Close the RAR: the appointments still to come are cancelled, in the calendar too" "rarplan complete X100001.plan.toml --outcomes $here/outcomes.toml --ics X100001.ics ..."
rarplan complete X100001.plan.toml --outcomes "$here/outcomes.toml" --today 2027-03-02 --no-input \
  --ics X100001.ics \
  --rationale "Housing need met and CV and interviews done in 7 days; job search continues through the Jobcentre, so no further RAR days are needed." \
  --progress "Moved into a housing association flat; CV written; two interviews; one unacceptable absence (warning given)." \
  --outcome "Settled accommodation; employability improved." \
  --confirmed-by "RO 4471"

step "Check the record still matches the plan" "rarplan verify X100001.completion.toml X100001.plan.toml"
rarplan verify X100001.completion.toml X100001.plan.toml

step "The caseload" "rarplan status ."
rarplan status . --today 2027-03-02

step "Documents" "rarplan render X100001.plan.toml --for person|referral; X100002 (pre-sentence) --for court"
rarplan render X100001.plan.toml --for person --format html --out X100001.person.html
rarplan assess "$here/cases/X100002.toml" --quiet >/dev/null  # the court proposal: pre-sentence only
rarplan render X100002.plan.toml --for court --format md --out X100002.court.md
rarplan assess "$here/cases/X100009.toml" --quiet >/dev/null
rarplan render X100009.plan.toml --for person --format md --out X100009.person.md
rarplan render X100001.plan.toml --for referral --format md --out X100001.referral.md
printf '\nDemo files in %s/:\n' "$out"
ls -l
