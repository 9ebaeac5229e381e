#!/bin/bash
# DISCO node bootstrap, rendered by the DISCO service manager (see docs/frameworks.md).
set -euo pipefail
umask 022
# First of all: the metadata service serves this script, with the cluster's secrets, to any
# process that asks. Only root may reach it from now on (as container platforms do).
# (DISCO_GUARD_METADATA=0 only where the script runs outside a node: its unit test.)
disco_guard_metadata() {
  if [ "${DISCO_GUARD_METADATA:-1}" = 0 ]; then return 0; fi
  if command -v nft >/dev/null; then
    nft -f - <<'EOF'
table inet disco_guard
delete table inet disco_guard
table inet disco_guard {
  chain out {
    type filter hook output priority 0; policy accept;
    ip daddr 169.254.169.254 meta skuid != 0 reject with icmp type admin-prohibited
  }
}
EOF
  elif command -v iptables >/dev/null; then
    iptables -C OUTPUT -d 169.254.169.254 -m owner ! --uid-owner 0 -j REJECT 2>/dev/null ||
      iptables -I OUTPUT -d 169.254.169.254 -m owner ! --uid-owner 0 -j REJECT
  else
    echo "neither nft nor iptables: cannot close the metadata service to other users" >&2
    return 1
  fi
}
disco_guard_metadata
export DISCO_NODE='__DISCO_NODE__' DISCO_ROLE='__DISCO_ROLE__' DISCO_MASTER_IP='__DISCO_MASTER_IP__'
# Heat's HEAT_SIGNAL credentials (JSON: auth_url, user_id, password, project_id, alarm_url):
# a fresh Keystone token for every signal, so a late node is never refused an expired one.
DISCO_SIGNAL=$(
  cat <<'DISCO_SIGNAL_JSON'
__DISCO_SIGNAL__
DISCO_SIGNAL_JSON
)
DISCO_SECRETS='__DISCO_SECRETS__'
# the master's drain channel when a framework drains workers before a scale-down ({} elsewhere)
# shellcheck disable=SC2034 # read by drain.sh (the gzipped part) and bootstrap's master.sh
DISCO_DRAIN=$(
  cat <<'DISCO_DRAIN_JSON'
__DISCO_DRAIN__
DISCO_DRAIN_JSON
)
# Every wait inside the script ends before Heat's: the node always reports (disco_time_left).
DISCO_INSTALL_TIMEOUT='__DISCO_INSTALL_TIMEOUT__'
DISCO_DEADLINE=$((SECONDS + ${DISCO_INSTALL_TIMEOUT:-3600} - 90))
DISCO_LOG=${DISCO_LOG:-/var/log/disco-bootstrap.log}
DISCO_STATE=${DISCO_STATE:-/var/lib/disco-bootstrap}
install -d -m 700 "$DISCO_STATE"
touch "$DISCO_LOG" && chmod 600 "$DISCO_LOG"
exec >>"$DISCO_LOG" 2>&1
# disco_time_left [CAP]: seconds until the node must have reported, at most CAP
disco_time_left() {
  local left=$((DISCO_DEADLINE - SECONDS))
  if [ "$left" -lt 1 ]; then left=1; fi
  if [ -n "${1:-}" ] && [ "$1" -lt "$left" ]; then left=$1; fi
  echo "$left"
}
# disco_signal STATUS SECTION REASON [DATA]: tell this node's wait condition (DATA: what Heat
# keeps as the section's data, the section's name by default). The credentials reach
# python through its environment (root's only), never a command line; retried on refused
# connections, timeouts and 5xx for up to 10 minutes.
disco_signal() {
  DISCO_SIGNAL="$DISCO_SIGNAL" python3 - "$1" "$2" "node=$DISCO_NODE framework=$2: $3" "${4:-$2}" <<'PY'
import json, os, sys, time, urllib.error, urllib.request
status, section, reason, data = sys.argv[1:5]
s = json.loads(os.environ['DISCO_SIGNAL'])
auth = s['auth_url'].rstrip('/')
auth = auth if auth.endswith('/v3') else auth + '/v3'
def post(url, body, headers):
    req = urllib.request.Request(url, json.dumps(body).encode(), dict(headers, **{'Content-Type': 'application/json'}))
    return urllib.request.urlopen(req, timeout=30)
body = {'status': status, 'id': section, 'data': data, 'reason': reason}
login = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {'id': s['user_id'], 'password': s['password']}}},
                  'scope': {'project': {'id': s['project_id']}}}}
end, delay = time.time() + 600, 1
while True:
    try:
        token = post(auth + '/auth/tokens', login, {}).headers['X-Subject-Token']
        post(s['alarm_url'], body, {'X-Auth-Token': token}).read()
        sys.exit(0)
    except urllib.error.HTTPError as e:
        if e.code < 500 and e.code != 429 or time.time() > end:
            print(f'disco_signal: {status} {section}: HTTP {e.code}', file=sys.stderr); sys.exit(1)
    except (urllib.error.URLError, OSError) as e:
        if time.time() > end:
            print(f'disco_signal: {status} {section}: {e}', file=sys.stderr); sys.exit(1)
    time.sleep(delay); delay = min(delay * 2, 30)
PY
}
# disco_secret NAME: a cluster secret on stdout (lines "name base64(value)", all base64)
disco_secret() {
  local line
  line=$(printf '%s' "$DISCO_SECRETS" | base64 -d | awk -v n="$1" '$1 == n { print $2 }')
  if [ -n "$line" ]; then printf '%s' "$line" | base64 -d; fi
}
# Heat keeps 255 characters of an event's reason, "Signal: status:FAILURE reason:" included
DISCO_REASON_MAX=224
# disco_failure_reason SECTION RC: the failing command and the log's last lines, the end kept
disco_failure_reason() {
  local prefix="node=$DISCO_NODE framework=$1: " at tail text room
  at=$(cat "$DISCO_STATE/failed-at" 2>/dev/null || true)
  tail=$(tail -n 40 "$DISCO_LOG" | grep -v '^== ' | grep -v '^[[:space:]]*$' | tail -n 3 | tr -d '\000-\011\013-\037' | awk 'NR > 1 { printf " | " } { printf "%s", $0 }')
  text="exit $2${at:+ at \`$at\`}: $tail"
  room=$((DISCO_REASON_MAX - ${#prefix}))
  if [ "${#text}" -gt "$room" ]; then text="...${text: -$((room - 3))}"; fi
  printf '%s' "$text"
}
# disco_section NAME FUNCTION: run one section; report its end, or its failure and stop
disco_section() {
  local fw=$1 rc data
  echo "== $fw: start $(date -u +%FT%TZ)"
  rm -f "$DISCO_STATE/failed-at" "$DISCO_STATE/signal-data"
  # not as an if condition: there bash would ignore set -e inside the section. The ERR trap
  # (inherited by functions: -E) notes the first command that failed.
  set +e
  (
    set -Eeuo pipefail
    trap '[ -e "$DISCO_STATE/failed-at" ] || printf "%s" "$BASH_COMMAND" | head -c 120 >"$DISCO_STATE/failed-at"' ERR
    "$2"
  )
  rc=$?
  set -e
  if [ "$rc" != 0 ]; then
    disco_signal FAILURE "$fw" "$(disco_failure_reason "$fw" "$rc")"
    disco_progress
    exit 1
  fi
  echo "== $fw: done $(date -u +%FT%TZ)"
  # a section may leave what its signal carries (bootstrap: the gateway's fingerprint)
  data=$(head -c 200 "$DISCO_STATE/signal-data" 2>/dev/null | tr -d '\000-\037' || true)
  disco_signal SUCCESS "$fw" installed "${data:-$fw}"
  disco_progress
}
# disco_progress: this node's log tail to the gateway's progress page (bootstrap's
# disco_status_push), when it is defined; a progress page never fails the bootstrap
disco_progress() {
  if declare -F disco_status_push >/dev/null; then disco_status_push >/dev/null 2>&1 || true; fi
}
