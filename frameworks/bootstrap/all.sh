#!/bin/bash
# bootstrap, every node: the cluster's SSH key pair for root, the user's extra Debian and
# Python packages, and (workers) registration in the master's host table.
# DISCO_ROLE and DISCO_BOOTSTRAP_* come from the node script's environment.
# shellcheck disable=SC2154

# The cluster key pair (the same on every node) lets the master and workers reach each other
# as root: disco_register_node, disco_wait_nodes.
install -d -m 0700 /root/.ssh
(
  umask 077
  disco_secret cluster_private_key >/root/.ssh/.disco_cluster.tmp
)
[ -s /root/.ssh/.disco_cluster.tmp ] || { echo "bootstrap: the cluster_private_key secret is empty" >&2; false; }
# OpenSSH rejects a private key file without its final newline
if [ -n "$(tail -c 1 /root/.ssh/.disco_cluster.tmp)" ]; then echo >>/root/.ssh/.disco_cluster.tmp; fi
mv -f /root/.ssh/.disco_cluster.tmp /root/.ssh/disco_cluster
chmod 0600 /root/.ssh/disco_cluster
disco_cluster_pub=$(disco_secret cluster_public_key)
[ -n "$disco_cluster_pub" ] || { echo "bootstrap: the cluster_public_key secret is empty" >&2; false; }
printf '%s\n' "$disco_cluster_pub" >/root/.ssh/disco_cluster.pub
touch /root/.ssh/authorized_keys
chmod 0600 /root/.ssh/authorized_keys
# appended once: a re-run must not add it again
grep -qxF "$disco_cluster_pub" /root/.ssh/authorized_keys || printf '%s\n' "$disco_cluster_pub" >>/root/.ssh/authorized_keys

# More keys for the login user (DISCO_SSH_USER, who GET says logs in), each added once, written
# as that user (its home is its own: no link of its there is followed as root)
if [ -n "${DISCO_BOOTSTRAP_AUTHORIZED_KEYS:-}" ]; then
  if [ -z "${DISCO_SSH_USER:-}" ] || ! id "$DISCO_SSH_USER" >/dev/null 2>&1; then
    echo "bootstrap: authorized_keys: the login user '${DISCO_SSH_USER:-}' does not exist on this image" >&2
    false
  fi
  # shellcheck disable=SC2016 # "$1" is for the inner sh, not this shell
  tr ',' '\n' <<<"$DISCO_BOOTSTRAP_AUTHORIZED_KEYS" | runuser -u "$DISCO_SSH_USER" -- sh -c 'umask 077; cd && mkdir -p .ssh &&
    touch .ssh/authorized_keys && while read -r key; do grep -qxF "$key" .ssh/authorized_keys || printf "%s\n" "$key" >>.ssh/authorized_keys; done'
  echo "bootstrap: $(tr ',' '\n' <<<"$DISCO_BOOTSTRAP_AUTHORIZED_KEYS" | wc -l) more key(s) for $DISCO_SSH_USER"
fi

# The user's Debian packages (comma-separated; the manifest's pattern allows no spaces)
if [ -n "${DISCO_BOOTSTRAP_PACKAGES:-}" ]; then
  IFS=, read -ra disco_packages <<<"$DISCO_BOOTSTRAP_PACKAGES"
  disco_apt_install "${disco_packages[@]}"
fi

# The user's Python packages, in a venv (PEP 668: Debian 12 refuses a system-wide pip install)
if [ -n "${DISCO_BOOTSTRAP_PIP:-}" ]; then
  IFS=, read -ra disco_pip <<<"$DISCO_BOOTSTRAP_PIP"
  disco_pip_install /opt/disco-venv "${disco_pip[@]}"
  echo "bootstrap: Python packages installed in /opt/disco-venv (use /opt/disco-venv/bin/python)"
fi

if [ "$DISCO_ROLE" = worker ]; then
  disco_register_node
  disco_register_at_boot
fi
