#!/usr/bin/env bash
# Sets up the project and runs the linter and every test (unit and against the local stack).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/pytest "$@"
(cd addon && npm test --silent)
