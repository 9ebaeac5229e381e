#!/bin/bash
# bootstrap helpers, part 2 of 2 (the manifest pastes lib.sh, gateway.sh in order): the
# gateway's way to the workers. Definitions only.

# disco_registrations HOSTS_D: the registered workers, "<ip> <name>" a line, in numeric name
# order (worker-2 before worker-10). Only files named <name> holding "<IPv4> <name>" count
# (disco_register_node's temp files start with a dot): what callers put in configurations.
disco_registrations() {
  local f ip name rest
  for f in "${1:?disco_registrations HOSTS_D}"/*; do
    [ -f "$f" ] || continue
    ip='' name=''
    read -r ip name rest <"$f" || [ -n "$name" ] || continue
    [[ $ip =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ && $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ && $name == "${f##*/}" ]] || continue
    printf '%s %s\n' "$ip" "$name"
  done | LC_ALL=C sort -k2,2V
}

# disco_gateway_nodes_map HOSTS_D: nginx map lines "<name> <ip>;" of the registered workers.
disco_gateway_nodes_map() {
  disco_registrations "${1:?disco_gateway_nodes_map HOSTS_D}" | awk '{ printf "%s %s;\n", $2, $1 }'
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
    declare -f disco_registrations disco_gateway_nodes_map
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

# disco_gateway_conf: the gateway's nginx site (master.sh writes it to sites-available): the nodes'
# progress on 8443, the artifact cache for the workers (DISCO_ARTIFACT_PORT, cluster network only),
# then one HTTPS server per UI of DISCO_GATEWAY_UIS ("name:port:gateway_port[:nodes]"). Every
# server but the cache wants the cluster's password. DISCO_GATEWAY_DIR: the certificate, key,
# htpasswd and nodes.map (/etc/disco-gateway); DISCO_GATEWAY_STATUS: the progress pages.
# shellcheck disable=SC2016 # $host, $args ... in single quotes are nginx's
disco_gateway_conf() {
  local gw=${DISCO_GATEWAY_DIR:-/etc/disco-gateway} tls disco_ui disco_ui_name disco_ui_port disco_ui_gw disco_ui_nodes
  tls="ssl_certificate $gw/cert.pem; ssl_certificate_key $gw/key.pem;
  ssl_protocols TLSv1.2 TLSv1.3; auth_basic \"DISCO cluster\"; auth_basic_user_file $gw/htpasswd;"
  echo "# written by the DISCO node script (bootstrap); the nodes' progress, then one server per web UI"
  echo "map \$http_upgrade \$disco_connection { default upgrade; '' close; }"
  printf 'server {\n  listen 8443 ssl;\n  %s\n  root %s;\n  autoindex on;\n  default_type text/plain;\n}\n' "$tls" "${DISCO_GATEWAY_STATUS:-/var/lib/disco-gateway/status}"
  # the artifacts the master downloaded (the header's disco_artifact), for the workers: on the
  # cluster network only, no listing, never a file still being written
  printf 'server {\n  listen %s:%s;\n  root %s;\n  default_type application/octet-stream;\n' "$DISCO_MASTER_IP" "$DISCO_ARTIFACT_PORT" "$DISCO_ARTIFACT_DIR"
  printf '  location ~ \\.part$ { return 404; }\n}\n'
  # /node/<worker>/... of a UI marked nodes: that worker's same port (disco_gateway_nodes keeps
  # the worker -> address map; a name not in it is a 404, so nothing else is reachable). Only
  # then: $disco_node is the capture of that location's regex, unknown to nginx without it.
  if [[ " ${DISCO_GATEWAY_UIS:-} " == *:nodes\ * ]]; then
    echo "map \$disco_node \$disco_node_addr { default ''; include $gw/nodes.map; }"
  fi
  for disco_ui in ${DISCO_GATEWAY_UIS:-}; do
    IFS=: read -r disco_ui_name disco_ui_port disco_ui_gw disco_ui_nodes <<<"$disco_ui"
    printf '# %s\nserver {\n  listen %s ssl;\n  %s\n' "$disco_ui_name" "$disco_ui_gw" "$tls"
    if [ "$disco_ui_nodes" = nodes ]; then
      printf '  location ~ ^/node/(?<disco_node>[A-Za-z0-9][A-Za-z0-9._-]*)(?<disco_path>/.*)$ {\n'
      printf '    if ($disco_node_addr = "") { return 404; }\n    proxy_pass http://$disco_node_addr:%s$disco_path$is_args$args;\n  }\n' "$disco_ui_port"
    fi
    printf '  location / {\n    proxy_pass http://%s:%s;\n    proxy_http_version 1.1;\n' "$DISCO_MASTER_IP" "$disco_ui_port"
    printf '    proxy_set_header Host $host:$server_port;\n    proxy_set_header X-Forwarded-Proto https;\n'
    printf '    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection $disco_connection;\n  }\n}\n'
  done
}
