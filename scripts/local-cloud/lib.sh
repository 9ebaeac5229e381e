# shellcheck shell=bash
# Helpers for up/down/status (sourced). Every daemon we start is recorded as
# "PID STARTTIME" so that down and status never touch a process we did not start,
# even after a reboot recycled the PID.
STATE=${LOCAL_CLOUD_STATE:-/var/lib/disco-local-cloud}
PIDDIR=$STATE/pids
LOGDIR=$STATE/log
KS=http://127.0.0.1:5000/v3
T_START=${T_START:-$(date +%s)}

log() { printf '[local-cloud %s +%ss] %s\n' "$(date +%T)" "$(( $(date +%s) - T_START ))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# proc_start PID -> the process's start time in clock ticks since boot (field 22 of stat)
proc_start() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'; }

# is_running NAME -> 0 if the recorded process of NAME is alive and is the one we started
is_running() {
  local f=$PIDDIR/$1.pid pid start
  [ -s "$f" ] || return 1
  read -r pid start < "$f" || true
  [ -n "${pid:-}" ] && [ -n "${start:-}" ] && [ "$(proc_start "$pid")" = "$start" ]
}

# start_daemon NAME USER PROGRAM [ARGS...] — run in the background as USER, output to
# $LOGDIR/NAME.out, "PID STARTTIME" recorded in $PIDDIR/NAME.pid.
start_daemon() {
  local name=$1 user=$2 exe pid; shift 2
  if is_running "$name"; then return 0; fi
  exe=$(command -v "$1") || die "no such program: $1"; shift
  : > "$LOGDIR/$name.out"; chown "$user" "$LOGDIR/$name.out"
  start-stop-daemon --start --background --make-pidfile --pidfile "$PIDDIR/$name.pid.tmp" \
    --chuid "$user" --chdir "$STATE" --output "$LOGDIR/$name.out" --exec "$exe" -- "$@"
  pid=$(cat "$PIDDIR/$name.pid.tmp"); rm -f "$PIDDIR/$name.pid.tmp"
  echo "$pid $(proc_start "$pid")" > "$PIDDIR/$name.pid"
  sleep 0.3
  is_running "$name" || { tail -20 "$LOGDIR/$name.out" >&2; die "$name died at start (see $LOGDIR)"; }
  log "started $name (pid $pid)"
}

# stop_daemon NAME — SIGTERM the recorded process, SIGKILL it and its children after 15 s
# (heat ignores SIGTERM). Only ever signals the recorded process and its children.
stop_daemon() {
  local name=$1 pid start c
  is_running "$name" || { rm -f "$PIDDIR/$name.pid"; return 0; }
  read -r pid start < "$PIDDIR/$name.pid"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do is_running "$name" || break; sleep 0.25; done
  if is_running "$name"; then
    log "$name (pid $pid) ignored SIGTERM for 15 s: SIGKILL"
    for c in $(ps -o pid= --ppid "$pid"); do kill -KILL "$c" 2>/dev/null || true; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDDIR/$name.pid"
  log "stopped $name (pid $pid)"
}

# wait_http URL [SECONDS [DAEMON]] — until URL answers below 500; fail early if DAEMON died
wait_http() {
  local url=$1 max=${2:-90} d=${3:-} code=000
  for ((i = 0; i < max * 2; i++)); do
    if [ -n "$d" ] && ! is_running "$d"; then tail -15 "$LOGDIR/$d.out" >&2; die "$d died (see $LOGDIR)"; fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)
    if [ "$code" != 000 ] && [ "$code" -lt 500 ]; then return 0; fi
    sleep 0.5
  done
  die "timeout waiting for $url (last code $code)"
}

# put_file PATH OWNER:GROUP MODE [DAEMON...] < content — write PATH only when its content
# changes, and then stop the DAEMONs so that the following start_daemon restarts them.
put_file() {
  local path=$1 owner=$2 mode=$3 tmp d; shift 3
  tmp=$(mktemp); cat > "$tmp"
  if [ -f "$path" ] && cmp -s "$tmp" "$path"; then rm -f "$tmp"; return 0; fi
  install -D -o "${owner%:*}" -g "${owner#*:}" -m "$mode" "$tmp" "$path"; rm -f "$tmp"
  for d in "$@"; do
    if is_running "$d"; then log "$path changed: restarting $d"; stop_daemon "$d"; fi
  done
}

# ks_token USER PASSWORD PROJECT -> a project-scoped token (Default domain)
ks_token() {
  jq -nc --arg u "$1" --arg p "$2" --arg s "$3" '{auth:{identity:{methods:["password"],
      password:{user:{name:$u,domain:{id:"default"},password:$p}}},
      scope:{project:{name:$s,domain:{id:"default"}}}}}' |
  curl -sf -D - -o /dev/null -H 'Content-Type: application/json' "$KS/auth/tokens" --data-binary @- |
  awk -F': ' 'tolower($1)=="x-subject-token"{print $2}' | tr -d '\r'
}

# ks_ensure TAG < spec — run ks-ensure.py (idempotent Keystone objects) unless the same
# spec already succeeded against this Keystone database.
ks_ensure() {
  local tag=$1 spec sum
  spec=$(cat)
  sum=$( { echo "$spec"; cat "$STATE/keystone/.initialised" 2>/dev/null; } | md5sum | cut -c1-32)
  [ "$(cat "$STATE/ks-ensure-$tag.sum" 2>/dev/null)" = "$sum" ] && return 0
  # shellcheck source=/dev/null
  ( . "$STATE/adminrc"; /usr/bin/python3 "$HERE/ks-ensure.py" <<<"$spec" ) >"$LOGDIR/ks-ensure-$tag.out" 2>&1 \
    || { tail -5 "$LOGDIR/ks-ensure-$tag.out" >&2; die "keystone setup ($tag) failed"; }
  echo "$sum" > "$STATE/ks-ensure-$tag.sum"
  log "keystone objects for $tag ensured"
}

# secret NAME -> a random password kept in $STATE/secrets/NAME (made once)
secret() {
  local f=$STATE/secrets/$1
  [ -s "$f" ] || { install -d -m 700 "$STATE/secrets"; (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' 'xy' > "$f"); }
  cat "$f"
}

# Config snippets shared by the OpenStack services (they read SERVICE_PASSWORD when called).
# authtoken USER -> [keystone_authtoken] section for service user USER
authtoken() { cat <<EOT
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:5000
auth_url = http://127.0.0.1:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $SERVICE_PASSWORD
memcached_servers = 127.0.0.1:11211
EOT
}
# ksauth USER -> password auth lines for the [placement], [neutron], [nova] client sections
ksauth() { cat <<EOT
auth_type = password
auth_url = http://127.0.0.1:5000/v3
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $SERVICE_PASSWORD
region_name = RegionOne
EOT
}
# shellcheck disable=SC2034 # used by the stages sourced after this one
POLICY="[oslo_policy]
enforce_new_defaults = false
enforce_scope = false"

# uwsgi_ini PORT WSGI-FILE [PROCESSES [THREADS]]
uwsgi_ini() { cat <<EOT
[uwsgi]
plugins = python3
http-socket = 127.0.0.1:$1
wsgi-file = $2
master = true
die-on-term = true
no-orphans = true
lazy-apps = true
enable-threads = true
processes = ${3:-1}
threads = ${4:-4}
buffer-size = 65535
add-header = Connection: close
EOT
}

# heat_engine_answers [SECONDS] — 0 when Heat's engine (not only its API) answers: a template
# validation goes through the API to the engine over RPC. A wedged engine (MessagingTimeout)
# leaves the API answering everything else.
heat_engine_answers() {
  local tok project
  [ -r "$STATE/adminrc" ] || return 1
  tok=$(ks_token admin "$(sed -n 's/^export OS_PASSWORD=//p' "$STATE/adminrc")" admin) || return 1
  [ -n "$tok" ] || return 1
  project=$(curl -sf --max-time 10 -H "X-Auth-Token: $tok" "$KS/auth/projects" | jq -r '.projects[]|select(.name=="admin").id') || return 1
  curl -sf -o /dev/null --max-time "${1:-20}" -H "X-Auth-Token: $tok" -H 'Content-Type: application/json' \
    "http://127.0.0.1:8004/v1/$project/validate" \
    -d '{"template":{"heat_template_version":"2018-08-31","resources":{"n":{"type":"OS::Heat::None"}}}}'
}
