#!/usr/bin/env bash
# Assess a folder of case files, schedule each sentenced plan, and print the caseload status.
#
#   examples/scripts/caseload.sh CASES_DIR PLANS_DIR
#
# Uses only rarplan's scripting contract: --json output and the documented exit codes
# (0 ok, 3 invalid input, 4 refused by the rules, 5 would overwrite). Existing plans and
# schedules are kept. Pre-sentence and custody plans have no RAR days to schedule yet and are
# listed as such. Exits 1 if any case or plan could not be handled.
set -uo pipefail

cases=${1:?usage: caseload.sh CASES_DIR PLANS_DIR}
plans=${2:?usage: caseload.sh CASES_DIR PLANS_DIR}
rarplan=${RARPLAN:-rarplan}
mkdir -p "$plans"
cases=$(cd "$cases" && pwd)
plans=$(cd "$plans" && pwd)
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
problems=0
to_schedule=()

for case in "$cases"/*.toml "$cases"/*.json; do
  [ -e "$case" ] || continue
  # Assess into the plans folder (default name <CRN>.plan.toml, never the person's name).
  ( cd "$plans" && "$rarplan" assess "$case" --no-input --json > "$out" 2> "$err" )
  code=$?
  case $code in
    0) echo "assessed  $(basename "$case")"
       # The --json result says whether there is a court order with RAR days to schedule.
       if grep -q '"stage": "sentenced"' "$out" && ! grep -q '"rar_max_days": null' "$out"; then
         plan=$(grep -o '"plan_file": "[^"]*"' "$out" | cut -d'"' -f4)
         to_schedule+=("$plans/$plan")
       else
         echo "          (no RAR days ordered yet: not scheduled)"
       fi ;;
    5) echo "kept      $(basename "$case") (plan exists)" ;;
    *) echo "FAILED    $(basename "$case") (exit $code): $(head -n 1 "$err")"
       problems=$((problems + 1)) ;;
  esac
done

for plan in "$plans"/*.plan.toml; do
  [ -e "$plan" ] || continue
  case " ${to_schedule[*]-} " in *" $plan "*) ;; *) continue ;; esac
  "$rarplan" schedule "$plan" --json > "$out" 2> "$err"
  code=$?
  case $code in
    0) echo "scheduled $(basename "$plan")" ;;
    5) echo "kept      $(basename "$plan") (already scheduled)" ;;
    *) echo "FAILED    $(basename "$plan") (exit $code): $(head -n 1 "$err")"
       problems=$((problems + 1)) ;;
  esac
done

echo
"$rarplan" status "$plans"
[ "$problems" -eq 0 ]
