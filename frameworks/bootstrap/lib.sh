#!/bin/bash
# bootstrap's shared helpers: pasted at the top level of every node script, before every
# section, so every framework may call them. Definitions only: sourcing this file does nothing.
# DISCO_MASTER_IP, DISCO_MASTER_NAME, DISCO_NODE, DISCO_WORKERS, DISCO_MIRROR come from the
# node script's header (docs/frameworks.md), not from this file.
# shellcheck disable=SC2154

# disco_apt_install PKG...: install Debian packages non-interactively. Installed ones are
# skipped (a re-run after a reboot needs no network); `apt-get update` runs once per boot
# (marker in /run, a tmpfs); retried while another dpkg (e.g. unattended-upgrades) holds the lock.
disco_apt_install() {
  local missing=() p i
  : "${DISCO_APT_MARKER:=/run/disco-apt-updated}"
  for p in "$@"; do
    # shellcheck disable=SC2016 # ${Status} is dpkg-query's format, not a shell variable
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  for i in 1 2 3 4 5; do
    # an index that failed to download is an error (--error-on=any), not a warning followed by
    # "Unable to locate package"; after a failed install the indexes are fetched again
    if [ ! -e "$DISCO_APT_MARKER" ]; then
      if DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=120 --error-on=any update; then
        touch "$DISCO_APT_MARKER"
      else
        echo "disco_apt_install: apt-get update failed (attempt $i of 5)" >&2
      fi
    fi
    if [ -e "$DISCO_APT_MARKER" ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o DPkg::Lock::Timeout=120 -o Dpkg::Options::=--force-confold "${missing[@]}"; then
      return 0
    fi
    echo "disco_apt_install: attempt $i of 5 failed for: ${missing[*]}" >&2
    rm -f "$DISCO_APT_MARKER"
    sleep 15
  done
  echo "disco_apt_install: could not install ${missing[*]}" >&2
  return 1
}

# disco_wait_cap SECONDS: SECONDS, or less when the node must report to Heat before (the
# header's disco_time_left; absent where a lib is tested alone). Every wait takes its length
# from here, so a node always signals before its wait condition times out.
disco_wait_cap() {
  if declare -F disco_time_left >/dev/null; then disco_time_left "$1"; else echo "$1"; fi
}

# disco_pip_install VENV PKG...: pip-install into a venv (Debian 12 refuses system-wide pip,
# PEP 668), from the mirror's package index when there is a mirror. Satisfied requirements
# are not fetched again, so a re-run works offline.
disco_pip_install() {
  local venv=$1 index=()
  shift
  disco_apt_install python3-venv python3-pip
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  # the index in pip's environment, not its command line: a mirror URL may hold a password
  if [ -n "${DISCO_MIRROR:-}" ]; then index=(PIP_INDEX_URL="$DISCO_MIRROR/pypi/simple/"); fi
  env "${index[@]}" "$venv/bin/pip" install -q --disable-pip-version-check --retries 5 --timeout 30 "$@"
}

# disco_ssh HOST CMD...: run CMD on HOST (root@ unless given) with the cluster key, never
# prompting: an unknown host key is accepted once, a changed one refused. DISCO_SSH_CONNECT_TIMEOUT
# (seconds, default 10) shortens the wait for a host that is gone (disco's membership probe).
disco_ssh() {
  local host=$1
  shift
  [[ $host == *@* ]] || host="root@$host"
  ssh -i "${DISCO_SSH_KEY:-/root/.ssh/disco_cluster}" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o StrictHostKeyChecking=accept-new -o ConnectTimeout="${DISCO_SSH_CONNECT_TIMEOUT:-10}" \
    -o ServerAliveInterval=15 -o ServerAliveCountMax=4 "$host" "$@"
}

# disco_my_ip: this node's address on the way to the master (the cluster network).
disco_my_ip() {
  local ip
  ip=$(ip -4 route get "$DISCO_MASTER_IP" 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "src") print $(i + 1)}' | head -n 1)
  [ -n "$ip" ] || ip=$(hostname -I | awk '{print $1}')
  printf '%s\n' "$ip"
}

# disco_register_node [TIMEOUT_S]: a worker writes "<ip> <name>" to the master's host table,
# /etc/disco-cluster/hosts.d/<name>, retrying until the master's sshd takes the cluster key
# (the master may still be booting).
disco_register_node() {
  local ip deadline dir=/etc/disco-cluster/hosts.d
  deadline=$((SECONDS + $(disco_wait_cap "${1:-1200}")))
  ip=$(disco_my_ip)
  [[ $ip =~ ^[0-9]+(\.[0-9]+){3}$ ]] || { echo "disco_register_node: no IPv4 address toward $DISCO_MASTER_IP" >&2; return 1; }
  # the name goes into a remote command line: letters, digits, . _ - only
  [[ $DISCO_NODE =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || { echo "disco_register_node: unusable node name" >&2; return 1; }
  until printf '%s %s\n' "$ip" "$DISCO_NODE" | disco_ssh "$DISCO_MASTER_IP" \
      "install -d -m 0755 $dir && cat > $dir/.$DISCO_NODE.tmp && mv -f $dir/.$DISCO_NODE.tmp $dir/$DISCO_NODE"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "disco_register_node: the master $DISCO_MASTER_IP did not accept the cluster key over SSH within ${1:-1200} s" >&2
      return 1
    fi
    sleep 10
  done
  echo "registered $DISCO_NODE ($ip) with the master"
}

# disco_register_at_boot: a worker registers again at every later boot (disco-register.service),
# so a rebooted worker comes back into the master's memberships by itself, even one the master
# dropped while it was down.
disco_register_at_boot() {
  local sbin=${DISCO_SBIN:-/usr/local/sbin} units=${DISCO_UNIT_DIR:-/etc/systemd/system}
  {
    echo '#!/bin/bash'
    echo '# written by the DISCO node script: registers this worker with the master (at boot)'
    echo 'set -euo pipefail'
    printf 'export DISCO_NODE=%q DISCO_MASTER_IP=%q\n' "$DISCO_NODE" "$DISCO_MASTER_IP"
    declare -f disco_ssh disco_my_ip disco_wait_cap disco_register_node
    echo 'disco_register_node 1200'
  } >"$sbin/disco-register.tmp"
  chmod 700 "$sbin/disco-register.tmp"
  mv -f "$sbin/disco-register.tmp" "$sbin/disco-register"
  cat >"$units/disco-register.service" <<'EOF'
[Unit]
Description=DISCO: register this worker with the cluster's master
Wants=network-online.target
After=network-online.target sshd.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/disco-register

[Install]
WantedBy=multi-user.target
EOF
  systemctl daemon-reload
  # enabled, not started: this boot's registration is the node script's
  systemctl enable disco-register.service >/dev/null 2>&1
}

# disco_worker_names: the registered workers' names, one a line, in numeric order
# (worker-2 before worker-10). Master only.
disco_worker_names() {
  local f
  for f in /etc/disco-cluster/hosts.d/*; do
    [ -f "$f" ] && awk 'NF >= 2 {print $2; exit}' "$f"
  done | sort -V
}

# disco_hosts_write FILE: replace the managed block in FILE (an /etc/hosts) by the lines on
# stdin, keeping every other line. Self-contained (markers are literals) because
# disco_hosts_push ships its definition to the workers with `declare -f`.
disco_hosts_write() {
  local file=$1 block tmp
  block=$(cat)
  [ -e "$file" ] || : >"$file"
  tmp=$(mktemp "$file.disco.XXXXXX")
  {
    awk '$0 == "# BEGIN disco-cluster (managed, rewritten by the cluster bootstrap)" {skip = 1; next}
         $0 == "# END disco-cluster" {skip = 0; next}
         !skip' "$file"
    printf '%s\n%s\n%s\n' "# BEGIN disco-cluster (managed, rewritten by the cluster bootstrap)" "$block" "# END disco-cluster"
  } >"$tmp"
  # rewrite in place: keeps /etc/hosts' owner, mode and inode
  cat "$tmp" >"$file"
  rm -f "$tmp"
}

# disco_hosts_push IP BLOCK: write BLOCK as the managed /etc/hosts block on IP, over SSH, once
# (callers decide about retries): disco_wait_nodes at create, disco's membership refresher after.
disco_hosts_push() {
  # bash -s reads the script from stdin: the writer's definition, then a quoted here-doc
  { declare -f disco_hosts_write; printf "disco_hosts_write /etc/hosts <<'DISCO_HOSTS_EOF'\n%s\nDISCO_HOSTS_EOF\n" "$2"; } |
    disco_ssh "$1" bash -s
}

# disco_wait_nodes TIMEOUT_S: master: wait until $DISCO_WORKERS workers registered, then write
# the same host block (the master and every worker, short names) on the master and, over SSH,
# on every worker, so names resolve identically everywhere. For the create only: DISCO_WORKERS
# is the count asked for at create, stale once the cluster is scaled.
disco_wait_nodes() {
  local timeout want=${DISCO_WORKERS:-0} dir=/etc/disco-cluster/hosts.d deadline have block ip name i
  timeout=$(disco_wait_cap "${1:?disco_wait_nodes TIMEOUT_S}")
  deadline=$((SECONDS + timeout))
  install -d -m 0755 "$dir"
  while have=$(find "$dir" -maxdepth 1 -type f ! -name '.*' | wc -l); [ "$have" -lt "$want" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "disco_wait_nodes: $have of $want workers registered within $timeout s: $(disco_worker_names | tr '\n' ' ')" >&2
      return 1
    fi
    sleep 5
  done
  block=$(printf '%s %s\n' "$DISCO_MASTER_IP" "$DISCO_MASTER_NAME"; find "$dir" -maxdepth 1 -type f ! -name '.*' -exec cat {} + | sort -k2,2V)
  disco_hosts_write /etc/hosts <<<"$block"
  while read -r ip name; do
    for i in 1 2 3 4 5 6; do
      disco_hosts_push "$ip" "$block" && break
      [ "$i" = 6 ] && { echo "disco_wait_nodes: cannot write /etc/hosts on $name ($ip) over SSH" >&2; return 1; }
      sleep 10
    done
  done < <(find "$dir" -maxdepth 1 -type f ! -name '.*' -exec cat {} +)
  echo "host table written on the master and $have workers"
}

# disco_status_push: this node's progress page on the master's gateway (port 8443): the
# sections done and the bootstrap log's last 40 lines, as /var/lib/disco-gateway/status/<node>.txt.
# A worker sends it over SSH with the cluster key (once bootstrap put the key in place).
disco_status_push() {
  local dir=/var/lib/disco-gateway/status page
  page=$(
    printf '%s (%s), %s\n\n' "$DISCO_NODE" "$DISCO_ROLE" "$(date -u +%FT%TZ)"
    grep -E '^== .*: (done|start)' "$DISCO_LOG" | tail -n 20
    printf '\n-- the log'"'"'s last 40 lines --\n'
    tail -n 40 "$DISCO_LOG"
  )
  if [ "$DISCO_ROLE" = master ]; then
    install -d -m 0755 "$dir"
    printf '%s\n' "$page" >"$dir/.$DISCO_NODE.tmp" && chmod 0644 "$dir/.$DISCO_NODE.tmp" && mv -f "$dir/.$DISCO_NODE.tmp" "$dir/$DISCO_NODE.txt"
  elif [ -r /root/.ssh/disco_cluster ] && [[ $DISCO_NODE =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]]; then
    printf '%s\n' "$page" | DISCO_SSH_CONNECT_TIMEOUT=5 disco_ssh "$DISCO_MASTER_IP" \
      "install -d -m 0755 $dir && cat > $dir/.$DISCO_NODE.tmp && chmod 0644 $dir/.$DISCO_NODE.tmp && mv -f $dir/.$DISCO_NODE.tmp $dir/$DISCO_NODE.txt"
  fi
}
