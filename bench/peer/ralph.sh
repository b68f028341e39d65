#!/usr/bin/env bash
# The peer LRS of the benchmark (`npm run bench:statements -- --peer ralph`, bench/README.md):
# Ralph, France Université Numérique's LRS (PyPI ralph-malph: FastAPI, pymongo), set up here and
# nowhere in the product. bench/lib/peer.ts runs this script; by hand:
#
#   bench/peer/ralph.sh install   a virtualenv under bench/tmp (once), from PyPI
#   bench/peer/ralph.sh serve     runs Ralph's LRS on 127.0.0.1 (exec: its pid is this one), with
#     RALPH_BENCH_PORT, RALPH_BENCH_MONGODB_URI, RALPH_BENCH_DATABASE, RALPH_BENCH_USER and
#     RALPH_BENCH_PASSWORD; one uvicorn worker, as the LRS under test is one Node process.
set -euo pipefail

VERSION=5.1.0
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMP="$HERE/../tmp"
VENV="$TMP/ralph-$VERSION"

say() { printf '[ralph] %s\n' "$*" >&2; }

install() {
  if [[ -x "$VENV/bin/uvicorn" && -f "$VENV/.complete" ]]; then
    echo "installed ralph-malph $VERSION"
    return
  fi
  command -v python3 >/dev/null || { say 'python3 is missing (Debian: apt-get install python3 python3-venv)'; exit 1; }
  rm -rf "$VENV"
  mkdir -p "$TMP"
  python3 -m venv "$VENV" || { say 'python3 -m venv failed (Debian: apt-get install python3-venv)'; exit 1; }
  say "installing ralph-malph $VERSION from PyPI into ${VENV#"$HERE/../"} (first run only)"
  # lrs: FastAPI, uvicorn; backend-mongo: pymongo; cli: `ralph auth`, which writes the credential
  # file. ralph.api imports `requests` (its OIDC module), which none of those extras declares.
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "ralph-malph[backend-mongo,cli,lrs]==$VERSION" requests
  touch "$VENV/.complete"
  echo "installed ralph-malph $VERSION"
}

serve() {
  : "${RALPH_BENCH_PORT:?}" "${RALPH_BENCH_MONGODB_URI:?}" "${RALPH_BENCH_DATABASE:?}"
  : "${RALPH_BENCH_USER:?}" "${RALPH_BENCH_PASSWORD:?}"
  local app
  app=$(mktemp -d "$TMP/ralph-app.XXXXXX")
  export RALPH_APP_DIR="$app" RALPH_AUTH_FILE="$app/auth.json"
  export RALPH_RUNSERVER_BACKEND=mongo
  export RALPH_BACKENDS__LRS__MONGO__CONNECTION_URI="$RALPH_BENCH_MONGODB_URI"
  export RALPH_BACKENDS__LRS__MONGO__DEFAULT_DATABASE="$RALPH_BENCH_DATABASE"
  export RALPH_BACKENDS__LRS__MONGO__DEFAULT_COLLECTION=statements
  # One credential with every scope; Ralph caches a verified credential (AUTH_CACHE_TTL, 1 h),
  # so its bcrypt runs once, as Cairn's credential cache runs one scrypt.
  "$VENV/bin/ralph" auth -u "$RALPH_BENCH_USER" -p "$RALPH_BENCH_PASSWORD" -s all \
    -M "mailto:$RALPH_BENCH_USER@example.org" -w >/dev/null 2>&1
  exec "$VENV/bin/uvicorn" ralph.api:app --host 127.0.0.1 --port "$RALPH_BENCH_PORT" \
    --workers 1 --no-access-log --log-level warning
}

case "${1:-}" in
  install) install ;;
  serve) serve ;;
  *) say "usage: $0 install|serve"; exit 2 ;;
esac
