#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine: a virtualenv with the project and its
# test tools, Node.js if missing, the pinned npm Firestore emulator (the fallback where Google's is
# missing), and for the add-on's tests Debian's Chromium and playwright-core. Safe to run again.
# Google's Firestore emulator comes with the Google Cloud CLI, not from here: the stack uses it when present.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "Node.js and npm are needed (for the Firestore emulator): install them and run again." >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)." >&2; exit 1; }
[[ -x .venv/bin/python ]] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]" 2>&1 \
  | grep -v "^WARNING: Location" || true
.venv/bin/python -c 'from leadimport.devstack.firestore_emulators import ensure_npm_emulator as e; e()'
# checkov scans infra/ in the tests; its own virtualenv, since it pins libraries ours use too
CHECKOV=3.3.30
if [[ "$(.venv-checkov/bin/checkov --version 2>/dev/null)" != "$CHECKOV" ]]; then
  [[ -x .venv-checkov/bin/python ]] || "$python" -m venv .venv-checkov
  .venv-checkov/bin/python -m pip install --quiet --disable-pip-version-check "checkov==$CHECKOV" 2>&1 \
    | grep -v "^WARNING: Location" || true
fi
.venv/bin/python -m leadimport.devstack.firestore_emulators  # says which emulator the stack will run

# The add-on's tests: Node's own runner, and the sidebar in headless Chromium (never a downloaded browser)
if [[ ${LEADIMPORT_SKIP_BROWSER:-} != 1 ]] && ! command -v chromium >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
  else
    echo "Chromium is needed for the add-on's sidebar tests: apt-get install chromium, and run again." >&2
    exit 1
  fi
fi
(cd addon && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
