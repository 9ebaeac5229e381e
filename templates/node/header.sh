#!/bin/bash
# DISCO node bootstrap, rendered by the DISCO service manager (see docs/frameworks.md).
set -euo pipefail
umask 022
export DISCO_NODE='__DISCO_NODE__' DISCO_ROLE='__DISCO_ROLE__' DISCO_MASTER_IP='__DISCO_MASTER_IP__'
DISCO_SIGNAL_URL='__DISCO_SIGNAL_URL__'
DISCO_SIGNAL_TOKEN='__DISCO_SIGNAL_TOKEN__'
DISCO_SECRETS='__DISCO_SECRETS__'
DISCO_LOG=${DISCO_LOG:-/var/log/disco-bootstrap.log}
touch "$DISCO_LOG" && chmod 600 "$DISCO_LOG"
exec >>"$DISCO_LOG" 2>&1
disco_json() { printf '%s' "$1" | tr -d '\000-\037' | sed 's/\\/\\\\/g; s/"/\\"/g'; }
# disco_signal STATUS SECTION REASON: tell this node's wait condition
disco_signal() {
  local body
  body=$(printf '{"status": "%s", "id": "%s", "reason": "%s", "data": "%s"}' "$1" "$(disco_json "$2")" \
    "$(disco_json "node=$DISCO_NODE framework=$2: $3")" "$(disco_json "$2")")
  curl -sf --retry 10 --retry-delay 5 -X POST -H "X-Auth-Token: $DISCO_SIGNAL_TOKEN" \
    -H 'Content-Type: application/json' --data-binary "$body" "$DISCO_SIGNAL_URL" >/dev/null
}
# disco_secret NAME: a cluster secret on stdout (lines "name base64(value)", all base64)
disco_secret() {
  local line
  line=$(printf '%s' "$DISCO_SECRETS" | base64 -d | awk -v n="$1" '$1 == n { print $2 }')
  if [ -n "$line" ]; then printf '%s' "$line" | base64 -d; fi
}
# disco_fetch PATH DEST: an artifact from the mirror, checked against PATH.sha512 when there is one
disco_fetch() {
  if [ -z "${DISCO_MIRROR:-}" ]; then echo "no artifact mirror configured (SM_MIRROR_URL) to fetch $1" >&2; return 1; fi
  curl -fsSL --retry 5 --retry-delay 3 -o "$2.part" "$DISCO_MIRROR/$1"
  local sum
  if sum=$(curl -fsSL --retry 3 "$DISCO_MIRROR/$1.sha512" 2>/dev/null); then
    sum=$(printf '%s' "$sum" | grep -oiE '[0-9a-f]{128}' | head -n 1 | tr 'A-F' 'a-f')
    [ -n "$sum" ] || { echo "$DISCO_MIRROR/$1.sha512 holds no SHA-512" >&2; return 1; }
    echo "$sum  $2.part" | sha512sum -c --quiet - || { echo "$1: checksum mismatch" >&2; return 1; }
  fi
  mv "$2.part" "$2"
}
# disco_section NAME FUNCTION: run one section; report its end, or its failure and stop
disco_section() {
  local fw=$1 rc
  echo "== $fw: start $(date -u +%FT%TZ)"
  # not as an if condition: there bash would ignore set -e inside the section
  set +e
  ( set -euo pipefail; "$2" )
  rc=$?
  set -e
  if [ "$rc" != 0 ]; then
    disco_signal FAILURE "$fw" "exit $rc: $(tail -n 20 "$DISCO_LOG" | tr '\n' ' ' | cut -c1-900)"
    exit 1
  fi
  echo "== $fw: done $(date -u +%FT%TZ)"
  disco_signal SUCCESS "$fw" installed
}
