#!/bin/bash
# Disco helpers, part 2 of 3 (the manifest pastes lib.sh, membership.sh, units.sh in order):
# the membership refresher. Definitions only.

# --- Membership after create: the cluster is scaled by Heat (new workers boot with this same
# node script and register in the master's /etc/disco-cluster/hosts.d/<name>; removed ones are
# deleted, highest index first), so the master refreshes its host table and Disco's node table
# every 30 s with /usr/local/sbin/discomr-membership (discomr_membership_script, installed by
# master.sh). DISCO_WORKERS is the count at create and is not used here.

# discomr_membership_hosts HOSTS_D: the registered workers, "<ip> <name>" a line, in numeric
# name order: bootstrap's disco_registrations (gateway.sh), which the gateway's map reads too.
discomr_membership_hosts() {
  disco_registrations "${1:?discomr_membership_hosts HOSTS_D}"
}

# discomr_membership_table HOSTS_D VCPUS MULTIPLIER: the node table (discomr_config_table) of
# the registered workers, all of the workers' flavor: discomr_slots VCPUS MULTIPLIER each.
discomr_membership_table() {
  local slots names
  slots=$(discomr_slots "${2:-}" "${3:-}") || return 1
  names=$(discomr_membership_hosts "$1" | awk '{print $2}' | paste -sd, -) || return 1
  [ -n "$names" ] || { echo "discomr_membership_table: no registered worker in $1" >&2; return 1; }
  discomr_config_table "$names" "$slots"
}

# discomr_membership_sweep HOSTS_D STATE_DIR PROBE_CMD [FORGET_CMD]: one round of liveness checks.
# `PROBE_CMD IP` succeeds when the worker answers. Its consecutive failures are counted in
# STATE_DIR/<name>.fails (removed when it answers): at the third its registration leaves HOSTS_D.
# STATE_DIR/<name>.seen remembers each registration: one replaced by disco_register_node (a new
# server under a reused name) starts afresh. Of two registrations with one address, the older is
# dropped at once (its server is gone, the address given to another). A round where no worker
# answers counts for nobody (more likely the master's network than every worker at once).
# `FORGET_CMD NAME IP...` runs for every server that is gone (its host keys must be forgotten)
# before any probe. Prints one line per change: "EVENT NAME IP [DETAIL]", EVENT among joined,
# replaced (DETAIL: old address), duplicate (DETAIL: the newer name), unreachable (DETAIL: count),
# recovered, dropped, removed (registration deleted by someone else), silent (NAME, IP: -,
# DETAIL: registered count; printed once until a worker answers again).
discomr_membership_sweep() {
  local hosts_d=${1:?discomr_membership_sweep HOSTS_D STATE_DIR PROBE_CMD [FORGET_CMD]} state=${2:?} probe=${3:?} forget=${4:-:}
  local limit=3 f ip name stamp old n answered=0 members=() failed=()
  local -A ipof=() owner=() dead=()
  install -d -m 0700 "$state" || return 1
  while read -r ip name; do [ -z "$name" ] || ipof[$name]=$ip; done < <(discomr_membership_hosts "$hosts_d")
  # registrations deleted by someone else
  for f in "$state"/*.seen; do
    [ -f "$f" ] || continue
    name=${f##*/}
    name=${name%.seen}
    [ -z "${ipof[$name]:-}" ] || continue
    read -r old _ <"$f" || true
    rm -f "$state/$name.seen" "$state/$name.fails" "$state/$name.hosts"
    "$forget" "$name" "$old"
    echo "removed $name $old"
  done
  # one address, two registrations: keep the newer
  while read -r ip name; do
    [ -n "$name" ] || continue
    old=${owner[$ip]:-}
    if [ -z "$old" ]; then owner[$ip]=$name; continue; fi
    if [ "$hosts_d/$name" -nt "$hosts_d/$old" ]; then owner[$ip]=$name; else old=$name; name=${owner[$ip]}; fi
    rm -f "$hosts_d/$old" "$state/$old.seen" "$state/$old.fails" "$state/$old.hosts"
    unset "ipof[$old]"
    "$forget" "$old" "$ip"
    echo "duplicate $old $ip $name"
  done < <(discomr_membership_hosts "$hosts_d")
  mapfile -t members < <(discomr_membership_hosts "$hosts_d" | awk '{print $2}')
  # new and replaced registrations
  for name in "${members[@]}"; do
    [ -n "$name" ] || continue
    ip=${ipof[$name]}
    stamp="$ip $(stat -c '%i %y' "$hosts_d/$name")" || return 1
    old=$(cat "$state/$name.seen" 2>/dev/null) || old=''
    [ "$old" != "$stamp" ] || continue
    if [ -z "$old" ]; then
      echo "joined $name $ip"
    else
      rm -f "$state/$name.fails" "$state/$name.hosts"
      "$forget" "$name" "$ip" "${old%% *}"
      echo "replaced $name $ip ${old%% *}"
    fi
    printf '%s\n' "$stamp" >"$state/$name.seen" || return 1
  done
  # probe every worker, then count
  for name in "${members[@]}"; do
    [ -n "$name" ] || continue
    if "$probe" "${ipof[$name]}" </dev/null >/dev/null 2>&1; then answered=$((answered + 1)); else dead[$name]=1; failed+=("$name"); fi
  done
  if [ "$answered" -eq 0 ] && [ ${#failed[@]} -gt 0 ]; then
    [ -e "$state/silent" ] || { : >"$state/silent"; echo "silent - - ${#failed[@]}"; }
    return 0
  fi
  rm -f "$state/silent"
  for name in "${members[@]}"; do
    [ -n "$name" ] || continue
    ip=${ipof[$name]}
    if [ -z "${dead[$name]:-}" ]; then
      if [ -e "$state/$name.fails" ]; then rm -f "$state/$name.fails"; echo "recovered $name $ip"; fi
      continue
    fi
    n=$(cat "$state/$name.fails" 2>/dev/null) || n=0
    [[ $n =~ ^[0-9]+$ ]] || n=0
    n=$((n + 1))
    if [ "$n" -lt "$limit" ]; then
      printf '%s\n' "$n" >"$state/$name.fails" || return 1
      echo "unreachable $name $ip $n"
      continue
    fi
    rm -f "$hosts_d/$name" "$state/$name.seen" "$state/$name.fails" "$state/$name.hosts"
    "$forget" "$name" "$ip"
    echo "dropped $name $ip"
  done
}

# discomr_membership_probe IP: does the worker answer? (SSH as root with the cluster key, 5 s)
discomr_membership_probe() {
  DISCO_SSH_CONNECT_TIMEOUT=5 disco_ssh "$1" true </dev/null >/dev/null 2>&1
}

# discomr_membership_forget HOST...: forget HOSTs' keys, root's (disco_ssh reaches workers by
# address) and disco's (the Disco master reaches them by name): a new server under a reused name
# or address has a new key, and accept-new refuses a changed one.
discomr_membership_forget() {
  local h
  for h in "$@"; do
    [ -n "$h" ] || continue
    ssh-keygen -R "$h" >/dev/null 2>&1 || true
    # shellcheck disable=SC2016 # "$1" is for the inner sh, not this shell
    runuser -u disco -- sh -c 'cd / && ssh-keygen -R "$1"' sh "$h" >/dev/null 2>&1 || true
  done
}

# discomr_membership_run: one run of /usr/local/sbin/discomr-membership (master, as root, from
# its systemd timer). Environment (membership.env): DISCO_CLUSTER, DISCO_MASTER_IP,
# DISCO_MASTER_NAME, DISCO_WORKER_VCPUS, DISCO_BOOTSTRAP_WORKER_MULTIPLIER, all as at create;
# DISCOMR_HOSTS_D, DISCOMR_STATE_DIR, DISCOMR_ETC_HOSTS and DISCOMR_API override the paths (tests).
# Sweeps, writes the host block on the master and on every worker that answered (each once per
# block), and POSTs the node table when it differs from the last one Disco took. One log line
# per change, on stdout (the journal).
discomr_membership_run() {
  local hosts_d=${DISCOMR_HOSTS_D:-/etc/disco-cluster/hosts.d} state=${DISCOMR_STATE_DIR:-/var/lib/discomr-membership}
  local etc_hosts=${DISCOMR_ETC_HOSTS:-/etc/hosts} api=${DISCOMR_API:-http://127.0.0.1:8989}
  local events event name ip detail members block sum table resp msg written=() unwritten=()
  if ! [[ ${DISCO_MASTER_IP:-} =~ ^[0-9]+(\.[0-9]+){3}$ && ${DISCO_MASTER_NAME:-} =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ &&
    ${DISCO_WORKER_VCPUS:-} =~ ^[1-9][0-9]*$ ]]; then
    echo "discomr-membership: DISCO_MASTER_IP, DISCO_MASTER_NAME or DISCO_WORKER_VCPUS is missing or malformed (/etc/disco-cluster/membership.env)" >&2
    return 1
  fi
  install -d -m 0700 "$state" || return 1
  install -d -m 0755 "$hosts_d" || return 1
  exec 9>>"$state/lock"
  flock -n 9 || { echo "another run holds $state/lock: skipped"; return 0; }

  events=$(discomr_membership_sweep "$hosts_d" "$state" discomr_membership_probe discomr_membership_forget) || return 1
  while read -r event name ip detail; do
    case $event in
      joined) echo "$name ($ip) registered: a member now" ;;
      replaced) echo "$name registered again from $ip (was $detail): a new server, its old host keys forgotten" ;;
      duplicate) echo "$name dropped: its address $ip is now $detail's (registered later)" ;;
      unreachable) echo "$name ($ip) does not answer over SSH ($detail of 3)" ;;
      recovered) echo "$name ($ip) answers again" ;;
      dropped) echo "$name ($ip) dropped: no answer over SSH 3 runs in a row" ;;
      removed) echo "$name ($ip) left: its registration was deleted" ;;
      silent) echo "none of the $detail workers answers over SSH: nothing counted until one does" ;;
    esac
  done <<<"$events"

  # the host block: the master and every registered worker
  members=$(discomr_membership_hosts "$hosts_d") || return 1
  block=$(printf '%s %s\n' "$DISCO_MASTER_IP" "$DISCO_MASTER_NAME"; [ -z "$members" ] || printf '%s\n' "$members")
  sum=$(printf '%s\n' "$block" | sha256sum) || return 1
  sum=${sum%% *}
  if [ "$(cat "$state/$DISCO_MASTER_NAME.hosts" 2>/dev/null)" != "$sum" ]; then
    disco_hosts_write "$etc_hosts" <<<"$block" || return 1
    printf '%s\n' "$sum" >"$state/$DISCO_MASTER_NAME.hosts"
    written+=("$DISCO_MASTER_NAME")
  fi
  while read -r ip name; do
    # not to one that did not answer this run (it has a failure count): it gets it when it does
    if [ -z "$name" ] || [ -e "$state/$name.fails" ] || [ "$(cat "$state/$name.hosts" 2>/dev/null)" = "$sum" ]; then continue; fi
    if disco_hosts_push "$ip" "$block" </dev/null >/dev/null 2>&1; then
      printf '%s\n' "$sum" >"$state/$name.hosts"
      written+=("$name")
    else
      unwritten+=("$name")
    fi
  done <<<"$members"
  [ ${#written[@]} -eq 0 ] || echo "host table (the master and $(grep -c . <<<"$members") workers) written on ${written[*]}"
  [ ${#unwritten[@]} -eq 0 ] || echo "could not write the host table on ${unwritten[*]} over SSH: next run"

  # Disco's node table, when it changed
  if [ -z "$members" ]; then
    msg="no registered worker: Disco's node table is left as it is"
  else
    table=$(discomr_membership_table "$hosts_d" "$DISCO_WORKER_VCPUS" "${DISCO_BOOTSTRAP_WORKER_MULTIPLIER:-1}") || return 1
    table=$(discomr_with_master "$table" "$DISCO_MASTER_NAME" "${DISCO_MASTER_VCPUS:-1}" "${DISCO_BOOTSTRAP_MASTER_MULTIPLIER:-0}") || return 1
    # a master in its own table holds no DDFS data: said again every run (Disco forgets it when restarted)
    if [[ $table == '[["'"$DISCO_MASTER_NAME"'"'* ]]; then discomr_master_gc_blacklist "$api" "$DISCO_MASTER_NAME" || true; fi
    if [ "$table" = "$(cat "$state/table.json" 2>/dev/null)" ]; then rm -f "$state/table.error"; return 0; fi
    resp=$(curl -sS --max-time 30 -X POST -H 'Content-Type: application/json' --data-binary "$table" \
      -w '\n%{http_code}' "$api/disco/ctrl/save_config_table" 2>&1) || true
    if [ "${resp##*$'\n'}" = 200 ] && [[ ${resp%$'\n'*} == *"table saved"* ]]; then
      printf '%s\n' "$table" >"$state/table.json.tmp" && mv -f "$state/table.json.tmp" "$state/table.json" || return 1
      rm -f "$state/table.error"
      echo "cluster ${DISCO_CLUSTER:-?}: Disco node table saved: $table"
      return 0
    fi
    msg="save_config_table did not take $table: ${resp//$'\n'/ }"
  fi
  # failures are logged once, not every 30 s; the next run tries again
  if [ "$msg" != "$(cat "$state/table.error" 2>/dev/null)" ]; then
    printf '%s\n' "$msg" >"$state/table.error"
    echo "$msg (tried again every run)"
  fi
}

# discomr_membership_script: the text of /usr/local/sbin/discomr-membership: this node script's
# own definitions (bootstrap's lib comes first), so nothing is downloaded.
discomr_membership_script() {
  local defs
  defs=$(declare -f disco_ssh disco_hosts_write disco_hosts_push discomr_slots discomr_config_table \
    disco_registrations discomr_membership_hosts discomr_membership_table discomr_membership_sweep discomr_membership_probe \
    discomr_membership_forget discomr_with_master discomr_master_gc_blacklist discomr_membership_run) ||
    { echo "discomr_membership_script: a function is not defined (bootstrap's lib must come first)" >&2; return 1; }
  printf '%s\n' '#!/bin/bash' \
    '# discomr-membership: the Disco master follows the registered workers (host table, node table).' \
    '# Written by the cluster bootstrap (frameworks/disco/membership.sh); run by discomr-membership.timer.' \
    'set -euo pipefail' 'umask 077' "$defs"
  # shellcheck disable=SC2016 # "$@" is the script's, written as is
  printf '%s\n' 'discomr_membership_run "$@"'
}

# discomr_membership_env FILE: the refresher's environment (a systemd EnvironmentFile), root-only:
# the values this master had at create, checked (they are written unquoted).
discomr_membership_env() {
  local file=$1 m=${DISCO_BOOTSTRAP_WORKER_MULTIPLIER:-1} mm=${DISCO_BOOTSTRAP_MASTER_MULTIPLIER:-0} mc=${DISCO_MASTER_VCPUS:-1}
  [[ ${DISCO_CLUSTER:-} =~ ^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$ ]] || { echo "discomr_membership_env: DISCO_CLUSTER is not a DNS label" >&2; return 1; }
  [[ ${DISCO_MASTER_NAME:-} =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || { echo "discomr_membership_env: DISCO_MASTER_NAME is not a host name" >&2; return 1; }
  [[ ${DISCO_MASTER_IP:-} =~ ^[0-9]+(\.[0-9]+){3}$ ]] || { echo "discomr_membership_env: DISCO_MASTER_IP is not an IPv4 address" >&2; return 1; }
  [[ ${DISCO_WORKER_VCPUS:-} =~ ^[1-9][0-9]*$ ]] || { echo "discomr_membership_env: DISCO_WORKER_VCPUS must be a positive whole number" >&2; return 1; }
  [[ $m =~ ^[0-9]+(\.[0-9]+)?$ && $mm =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "discomr_membership_env: DISCO_BOOTSTRAP_WORKER_MULTIPLIER and _MASTER_MULTIPLIER must be numbers" >&2; return 1; }
  [[ $mc =~ ^[1-9][0-9]*$ ]] || { echo "discomr_membership_env: DISCO_MASTER_VCPUS must be a positive whole number" >&2; return 1; }
  (
    umask 077
    printf '%s\n' '# discomr-membership.service: the values this master had at create (written by the cluster bootstrap)' \
      "DISCO_CLUSTER=$DISCO_CLUSTER" "DISCO_MASTER_NAME=$DISCO_MASTER_NAME" "DISCO_MASTER_IP=$DISCO_MASTER_IP" \
      "DISCO_WORKER_VCPUS=$DISCO_WORKER_VCPUS" "DISCO_BOOTSTRAP_WORKER_MULTIPLIER=$m" \
      "DISCO_MASTER_VCPUS=$mc" "DISCO_BOOTSTRAP_MASTER_MULTIPLIER=$mm" >"$file.tmp"
  ) || return 1
  chmod 0600 "$file.tmp" && mv -f "$file.tmp" "$file"
}

# discomr_membership_units DIR: discomr-membership.service (oneshot) and .timer (every 30 s) in DIR.
discomr_membership_units() {
  cat >"$1/discomr-membership.service" <<'UNIT' || return 1
# Written by DISCO on every run of the disco section (master).
[Unit]
Description=Disco membership: host table and Disco node table follow the registered workers
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
EnvironmentFile=/etc/disco-cluster/membership.env
ExecStart=/usr/local/sbin/discomr-membership
SyslogIdentifier=discomr-membership
TimeoutStartSec=10min
UNIT
  cat >"$1/discomr-membership.timer" <<'UNIT'
# Written by DISCO on every run of the disco section (master).
[Unit]
Description=Disco membership refresh every 30 s

[Timer]
OnCalendar=*:*:00/30
AccuracySec=1s

[Install]
WantedBy=timers.target
UNIT
}
