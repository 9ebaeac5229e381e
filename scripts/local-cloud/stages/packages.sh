# shellcheck shell=bash
# Debian packages (bookworm = OpenStack Zed). --no-install-recommends keeps it to ~370
# packages (with Recommends python3-openstackclient pulls every client plus scipy: 10 min).
# nova-compute-ironic is the lightest nova-compute-hypervisor provider (no qemu/libvirt);
# the driver actually used is fake.FakeDriver.
PKGS=(mariadb-server python3-pymysql keystone heat-api heat-engine python3-heatclient curl jq
      rabbitmq-server placement-api glance-api neutron-server neutron-api neutron-rpc-server
      nova-api nova-conductor nova-scheduler nova-compute nova-compute-ironic memcached python3-memcache)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "installing packages needs root (missing: ${missing[*]})"
  log "installing ${#missing[@]} packages and their dependencies (first time: about 3 minutes)"
  # no daemon may start from a maintainer script; we start them ourselves
  [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  debconf-set-selections "$HERE/debconf-preseed.txt"
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -mmin -1440 2>/dev/null | head -1)" ] \
    || apt-get update -q >"$LOGDIR/apt-update.log" 2>&1 || { tail -5 "$LOGDIR/apt-update.log" >&2; die "apt-get update failed"; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" >"$LOGDIR/apt-install.log" 2>&1 \
    || { tail -30 "$LOGDIR/apt-install.log" >&2; die "apt-get install failed (see $LOGDIR/apt-install.log)"; }
  log "packages installed"
fi
