#!/bin/bash
# bootstrap helpers, part 2 of 2 (the manifest pastes lib.sh, gateway.sh in order): the
# gateway's way to the workers. Definitions only.

# disco_gateway_nodes_map HOSTS_D: nginx map lines "<name> <ip>;" of the registered workers
# (HOSTS_D/<name> holding "<IPv4> <name>"), in name order. Whatever else is there is left out:
# these go into nginx's configuration.
disco_gateway_nodes_map() {
  local f ip name rest
  for f in "${1:?disco_gateway_nodes_map HOSTS_D}"/*; do
    [ -f "$f" ] || continue
    ip='' name=''
    read -r ip name rest <"$f" || [ -n "$name" ] || continue
    [[ $ip =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ && $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ && $name == "${f##*/}" ]] || continue
    printf '%s %s;\n' "$name" "$ip"
  done | LC_ALL=C sort -V
}

# disco_gateway_nodes_install: the master keeps /etc/disco-gateway/nodes.map (the workers the
# gateway's /node/<name>/ paths reach) in step with the registrations: a systemd path unit runs
# /usr/local/sbin/disco-gateway-nodes whenever hosts.d changes; nginx reloads when the map did.
# DISCO_SBIN, DISCO_UNIT_DIR, DISCO_GATEWAY_DIR, DISCO_HOSTS_D: other places (tests).
disco_gateway_nodes_install() {
  local sbin=${DISCO_SBIN:-/usr/local/sbin} units=${DISCO_UNIT_DIR:-/etc/systemd/system}
  local gw=${DISCO_GATEWAY_DIR:-/etc/disco-gateway} hosts=${DISCO_HOSTS_D:-/etc/disco-cluster/hosts.d}
  install -d -m 0755 "$hosts" "$gw"
  {
    echo '#!/bin/bash'
    echo '# written by the DISCO node script: the gateway map of the registered workers'
    echo 'set -euo pipefail'
    declare -f disco_gateway_nodes_map
    printf 'map=%q hosts=%q\n' "$gw/nodes.map" "$hosts"
    # shellcheck disable=SC2016 # written for the script, expanded when it runs
    printf '%s\n' 'new=$(disco_gateway_nodes_map "$hosts")' \
      '[ ! -e "$map" ] || [ "$new" != "$(cat "$map")" ] || exit 0' \
      'printf "%s\n" "$new" >"$map.tmp" && mv -f "$map.tmp" "$map"' \
      'if systemctl is-active --quiet nginx; then systemctl reload nginx; fi'
  } >"$sbin/disco-gateway-nodes.tmp"
  chmod 0755 "$sbin/disco-gateway-nodes.tmp"
  mv -f "$sbin/disco-gateway-nodes.tmp" "$sbin/disco-gateway-nodes"
  cat >"$units/disco-gateway-nodes.service" <<'UNIT'
[Unit]
Description=DISCO gateway: the workers its /node/<name>/ paths reach

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/disco-gateway-nodes
UNIT
  cat >"$units/disco-gateway-nodes.path" <<UNIT
[Unit]
Description=DISCO gateway: follow the workers' registrations

[Path]
PathChanged=$hosts
Unit=disco-gateway-nodes.service

[Install]
WantedBy=multi-user.target
UNIT
  # the map exists before nginx reads its configuration
  "$sbin/disco-gateway-nodes"
  systemctl daemon-reload
  systemctl enable --now disco-gateway-nodes.path >/dev/null 2>&1
}
