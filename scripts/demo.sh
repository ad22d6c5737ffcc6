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
echo "The stack keeps running: try '$li leads --tenant demo', or stop it with '$li dev down'."
