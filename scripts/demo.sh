#!/usr/bin/env bash
# Sets up the project, starts the local stack and imports examples/leads_demo.xlsx through it,
# exactly as production would: drop bucket → process_upload → Firestore → report email.
set -euo pipefail
cd "$(dirname "$0")/.."
LEADIMPORT_SKIP_BROWSER=1 bash scripts/setup.sh  # the demo needs no browser
export LEADIMPORT_STATE_DIR="$PWD/.leadimport"
li=.venv/bin/leadimport
$li dev up
$li tenant apply --tenant demo examples/tenant.json
echo
$li import examples/leads_demo.xlsx --tenant demo
echo
echo "Email in, email out: a Gmail message with an xlsx, posted to the inbound-mail webhook as a provider would."
$li mail examples/leads_by_email.eml --tenant demo
echo
echo "The stack keeps running: try '$li leads --tenant demo', or stop it with '$li dev down'."
api=$($li dev status --json | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["http_functions"])')
echo "The add-on's backend, as Ana: curl -X POST -H \"Authorization: Bearer \$($li dev token --email ana@inmosol.ec)\"" \
  "-H 'Content-Type: application/json' -d '{\"limit\": 3}' $api/list_imports"
