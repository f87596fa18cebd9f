#!/usr/bin/env bash
# Assess a folder of case files, schedule each sentenced plan, and print the caseload status.
#
#   examples/scripts/caseload.sh CASES_DIR PLANS_DIR
#
# Uses only rarplan's scripting contract: --json output, documented exit codes
# (0 ok, 3 invalid input, 4 refused by the rules, 5 would overwrite). Existing plans are kept:
# a case whose plan exists is not assessed again. Exits 1 if any case could not be handled.
set -uo pipefail

cases=${1:?usage: caseload.sh CASES_DIR PLANS_DIR}
plans=${2:?usage: caseload.sh CASES_DIR PLANS_DIR}
rarplan=${RARPLAN:-rarplan}
mkdir -p "$plans"
cases=$(cd "$cases" && pwd)
problems=0

for case in "$cases"/*.toml "$cases"/*.json; do
  [ -e "$case" ] || continue
  # Assess into the plans folder (default name <CRN>.plan.toml, never the person's name).
  ( cd "$plans" && "$rarplan" assess "$case" --no-input --json > /dev/null 2> "$plans/.err" )
  code=$?
  case $code in
    0) echo "assessed  $(basename "$case")" ;;
    5) echo "kept      $(basename "$case") (plan exists)" ;;
    *) echo "FAILED    $(basename "$case") (exit $code): $(head -c 300 "$plans/.err")"
       problems=$((problems + 1)) ;;
  esac
done
rm -f "$plans/.err"

for plan in "$plans"/*.plan.toml; do
  [ -e "$plan" ] || continue
  "$rarplan" schedule "$plan" --json > /dev/null 2> "$plans/.err"
  code=$?
  case $code in
    0) echo "scheduled $(basename "$plan")" ;;
    5) echo "kept      $(basename "$plan") (already scheduled)" ;;
    3) # pre-sentence and custody plans have no community order to schedule yet
       echo "skipped   $(basename "$plan"): $(head -c 200 "$plans/.err")" ;;
    *) echo "FAILED    $(basename "$plan") (exit $code): $(head -c 300 "$plans/.err")"
       problems=$((problems + 1)) ;;
  esac
done
rm -f "$plans/.err"

echo
"$rarplan" status "$plans"
[ "$problems" -eq 0 ]
