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
