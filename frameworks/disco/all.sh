#!/bin/bash
# Disco MapReduce 0.5.4, every node: the same Erlang, Python and install path everywhere, a
# `disco` user reachable over SSH with the cluster key, the cluster's Erlang cookie, and the
# same /etc/disco/settings.py. The master starts the workers' Erlang nodes over SSH; a worker
# then waits until the master lists it (worker.sh).
# DISCO_NODE comes from the node script's environment.
# shellcheck disable=SC2154

# The pinned source: upstream's tag 0.5.4 as GitHub archives it (the manifest's artifact
# `disco`; commit 87a755c5302625fceedbcd5a002a4757e8387996), built here with Debian's Erlang/OTP
# and its lager and mochiweb, after discomr_compat (our own steps, below) makes it build and
# run on OTP 25 and Python 3.11. No code of Disco's is in this project.
discomr_version=0.5.4

# The accounts and keys first (nothing to download): they are what the other nodes need of
# this one, and they are in place even when a later step fails.
disco_apt_install openssh-client openssh-server

# Erlang node names are <name>@<short host name>: the master reaches a worker's node by its
# name in the node table, so each host's name must be its cluster name (the /etc/hosts block).
if [ "$(hostname -s)" != "$DISCO_NODE" ]; then
  hostnamectl set-hostname "$DISCO_NODE" 2>/dev/null || { hostname "$DISCO_NODE" && echo "$DISCO_NODE" >/etc/hostname; }
fi

id disco >/dev/null 2>&1 || useradd --system --create-home --home-dir /home/disco --shell /bin/bash disco
discomr_home=$(getent passwd disco | cut -d: -f6)

# Passwordless SSH for disco with disco's own key pair (ed25519, the same on every node; not
# root's cluster key, which would make every Disco job root everywhere): the master's disco
# user reaches itself and every worker's disco account, never prompting. Written as disco
# (discomr_put), the secret on stdin.
# shellcheck disable=SC2016 # "$1" is for the inner sh, not this shell
runuser -u disco -- sh -c 'cd / && mkdir -p "$1/.ssh" && chmod 0700 "$1/.ssh"' sh "$discomr_home"
discomr_key=$(disco_secret disco_ssh_key)
discomr_pub=$(disco_secret disco_ssh_key_pub)
if [ -z "$discomr_key" ] || [ -z "$discomr_pub" ]; then echo "disco: the disco_ssh_key secret is empty" >&2; false; fi
printf '%s\n' "$discomr_key" | discomr_put "$discomr_home/.ssh/id_ed25519" 0600
unset discomr_key
printf '%s\n' "$discomr_pub" | discomr_put "$discomr_home/.ssh/id_ed25519.pub" 0644
printf '%s\n' "$discomr_pub" | discomr_put "$discomr_home/.ssh/authorized_keys" 0600
printf '%s\n' 'Host *' '  IdentityFile ~/.ssh/id_ed25519' '  BatchMode yes' '  StrictHostKeyChecking accept-new' \
  '  ConnectTimeout 10' | discomr_put "$discomr_home/.ssh/config" 0600

# The cluster's Erlang cookie (random per cluster, the same on every node), 0400, disco's
disco_secret disco_cookie | tr -d '[:space:]' | discomr_put "$discomr_home/.erlang.cookie" 0400
runuser -u disco -- test -s "$discomr_home/.erlang.cookie" || { echo "disco: the disco_cookie secret is empty" >&2; false; }

# Install into the same paths on every node (upstream's `make install` layout: /usr/lib/disco,
# /usr/share/disco/master/www), once per version.
if [ "$(cat /usr/lib/disco/.installed 2>/dev/null)" != "$discomr_version" ]; then
  discomr_work=$(mktemp -d /var/tmp/disco-build.XXXXXX)
  # the source before the packages: a missing artifact fails in seconds, not after Erlang
  disco_artifact disco "$discomr_work/disco.tar.gz"
  # Debian 12: OTP 25 with the lager (3.9) and mochiweb (3.1) Disco's master needs, built for
  # it; python3 is 3.11, the same on every node (the master checks). Job workers are scripts
  # starting `#!/usr/bin/env python`, hence python-is-python3.
  disco_apt_install erlang-nox erlang-dev erlang-lager erlang-mochiweb python3 python-is-python3 curl
  mkdir "$discomr_work/src"
  tar -xzf "$discomr_work/disco.tar.gz" -C "$discomr_work/src" --strip-components=1 --no-same-owner
  discomr_src=$discomr_work/src
  discomr_compat "$discomr_src"
  discomr_build_master "$discomr_src"
  rm -rf /usr/lib/disco /usr/share/disco
  install -d /usr/lib/disco/master /usr/lib/disco/lib /usr/share/disco/master
  cp -r "$discomr_src/master/ebin" /usr/lib/disco/master/
  cp -r "$discomr_src/master/www" /usr/share/disco/master/
  # the Python library without setup.py (distutils is gone from Debian's default install): a
  # .pth file puts it on the system python3's path
  cp -r "$discomr_src/lib/disco" "$discomr_src/lib/clx" /usr/lib/disco/lib/
  discomr_site=$(python3 -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
  install -d "$discomr_site"
  echo /usr/lib/disco/lib >"$discomr_site/disco.pth"
  install -m 0755 "$discomr_src/bin/discocli.py" /usr/bin/disco
  install -m 0755 "$discomr_src/bin/ddfscli.py" /usr/bin/ddfs
  echo "$discomr_version" >/usr/lib/disco/.installed
  rm -rf "$discomr_work"
fi
# the user's bootstrap.pip packages (bootstrap's /opt/disco-venv), importable by Disco jobs
discomr_venv_pth /opt/disco-venv "$(python3 -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"
python3 -c 'import disco.settings' || { echo "disco: the Disco Python library does not import with $(python3 --version)" >&2; false; }

# Data on the ephemeral disk (lost with the cluster), reached by the same path everywhere. Root
# creates only what is missing in root-owned folders; disco makes the rest.
discomr_root=$(discomr_root)
[ -d /var/lib/disco ] || install -d -m 0755 /var/lib/disco
if [ ! -e "$discomr_root" ] && [ ! -L "$discomr_root" ]; then
  if mountpoint -q /mnt; then ln -s /mnt/disco "$discomr_root"; else install -d -o disco -g disco "$discomr_root"; fi
fi
if [ -L "$discomr_root" ] && [ ! -e /mnt/disco ]; then install -d -o disco -g disco /mnt/disco; fi
# shellcheck disable=SC2016 # "$1" is for the inner sh, not this shell
runuser -u disco -- sh -c 'cd / && mkdir -p "$1/data" "$1/ddfs" "$1/log" "$1/run"' sh "$discomr_root"

install -d -m 0755 /etc/disco
discomr_runtime_script >/usr/local/bin/.discomr-runtime.tmp
chmod 0755 /usr/local/bin/.discomr-runtime.tmp
mv -f /usr/local/bin/.discomr-runtime.tmp /usr/local/bin/discomr-runtime
discomr_write_settings /etc/disco/settings.py
echo "disco: $discomr_version installed, data in $(readlink -f "$discomr_root")"
