#!/bin/bash
# Disco helpers, part 3 of 3 (after lib.sh and membership.sh): the files the install writes
# (systemd units, small scripts). Definitions only.

# discomr_master_unit DIR HOME: discomr-master.service in DIR: the master as disco, in the
# foreground (`disco nodaemon`), restarted when it fails and started at boot. Its workers'
# Erlang nodes are the master's own children (slave:start over SSH): the master restarts them.
# A pid file a previous boot left may name an unrelated process (`disco` would then refuse to
# start, "already started"): discomr-clean-pids removes those first.
discomr_master_unit() {
  local dir=$1 home=$2
  [[ $home =~ ^/[A-Za-z0-9._/-]+$ ]] || { echo "discomr_master_unit: bad home '$home'" >&2; return 1; }
  cat >"$dir/discomr-master.service" <<UNIT
# Written by DISCO on every run of the disco section (master).
[Unit]
Description=Disco master (disco nodaemon)
After=network-online.target
Wants=network-online.target

[Service]
User=disco
Group=disco
WorkingDirectory=$home
Environment=HOME=$home USER=disco LOGNAME=disco
ExecStartPre=/usr/local/sbin/discomr-clean-pids $(discomr_root)/run
ExecStart=/usr/bin/disco nodaemon
Restart=on-failure
RestartSec=5
SyslogIdentifier=discomr-master

[Install]
WantedBy=multi-user.target
UNIT
}

# discomr_clean_pids_script: the body of /usr/local/sbin/discomr-clean-pids DIR: removes the
# pid files in DIR whose process is not an Erlang VM.
discomr_clean_pids_script() {
  cat <<'SCRIPT'
#!/bin/sh
for f in "$1"/*.pid; do
  [ -f "$f" ] || continue
  ps -o comm= -p "$(cat "$f")" 2>/dev/null | grep -q beam || rm -f "$f"
done
SCRIPT
}

# discomr_runtime_script: the body of /usr/local/bin/discomr-runtime, which prints what must be
# the same on every node of a Disco cluster, one line: settings.py's SHA-256, the Erlang/OTP
# release and Python's major.minor (an ebin and a job's pickles are only good for their own).
discomr_runtime_script() {
  cat <<'SCRIPT'
#!/bin/sh
set -e
settings=$(sha256sum </etc/disco/settings.py | cut -c1-64)
otp=$(erl -noshell -eval 'io:put_chars(erlang:system_info(otp_release)), halt().')
python=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
echo "settings.py $settings, Erlang/OTP $otp, Python $python"
SCRIPT
}

# discomr_venv_pth VENV SITE: Disco jobs run the system python3; the user's bootstrap.pip
# packages are in VENV (Debian refuses pip outside one): a .pth in SITE (the system python3's
# site-packages) puts VENV's site-packages on the jobs' path. No VENV, no file.
discomr_venv_pth() {
  local venv=$1 site=$2 pkgs
  rm -f "$site/disco-user-packages.pth"
  [ -x "$venv/bin/python3" ] || return 0
  pkgs=$("$venv/bin/python3" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
  printf '%s\n' "$pkgs" >"$site/disco-user-packages.pth"
}

# discomr_drain NAME...: workers out of Disco before they are deleted, the way Disco's
# administration guide takes a node out: no new tasks on it (blacklist), DDFS re-replicates its
# data on the others (gc_blacklist, then a GC run); done once safe_gc_blacklist names them all
# (0; else 1, printing those still going). Idempotent: run again and again. No NAME: every
# blacklisted worker back in (a drain called off). Run on the master.
discomr_drain() {
  local api=http://127.0.0.1:8989 n out
  for n in "$@"; do [[ $n =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || { echo "discomr_drain: bad node name '$n'" >&2; return 2; }; done
  if [ $# -eq 0 ]; then
    out=$(curl -sf --max-time 10 "$api/disco/ctrl/get_gc_blacklist") || return 1
    for n in $(python3 -c 'import json, sys; print(" ".join(json.load(sys.stdin)))' <<<"$out"); do
      # the master, in the table to run tasks only (bootstrap.master_multiplier), stays out of DDFS
      [ "$n" != "${DISCO_MASTER_NAME:-}" ] || continue
      curl -sf --max-time 10 -X POST --data-binary "\"$n\"" "$api/disco/ctrl/whitelist" >/dev/null || return 1
      curl -sf --max-time 10 -X POST --data-binary "\"$n\"" "$api/disco/ctrl/gc_whitelist" >/dev/null || return 1
    done
    return 0
  fi
  for n in "$@"; do
    curl -sf --max-time 10 -X POST --data-binary "\"$n\"" "$api/disco/ctrl/blacklist" >/dev/null || return 1
    curl -sf --max-time 10 -X POST --data-binary "\"$n\"" "$api/disco/ctrl/gc_blacklist" >/dev/null || return 1
  done
  # a GC already running answers too; the next call starts the next one
  curl -sf --max-time 10 "$api/ddfs/ctrl/gc_start" >/dev/null || true
  out=$(curl -sf --max-time 10 "$api/ddfs/ctrl/safe_gc_blacklist") || { printf '%s\n' "$@"; return 1; }
  python3 -c '
import json, sys
safe = set(json.load(sys.stdin))
going = [n for n in sys.argv[1:] if n not in safe]
if going:
    print("\n".join(going))
sys.exit(1 if going else 0)
' "$@" <<<"$out"
}
