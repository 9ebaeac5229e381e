# shellcheck shell=bash
# Neutron on 127.0.0.1:9696 (ML2, vxlan tenant networks, flat external network). Two API
# workers: with one, its queue was the suite's bottleneck (measured: 53% of a core on average
# over a run, its requests taking 1.4 s on average). No L2
# agent runs here: the osl_fake mechanism driver binds every port. Nova hears of port status
# (it waits for vif-plugged), not of every data change: each of those made it rebuild the
# server's network cache with six reads (a quarter of Neutron's requests in a full run).
ensure_db neutron neutron
install -d -o neutron -g neutron "$STATE/neutron" "$STATE/neutron/lock"
for f in osl_fake_mech.py osl_fake_mech-0.1.dist-info/METADATA osl_fake_mech-0.1.dist-info/entry_points.txt; do
  cmp -s "$HERE/neutron-fake-mech/$f" "/usr/local/lib/python3.11/dist-packages/$f" ||
    install -D -m 644 "$HERE/neutron-fake-mech/$f" "/usr/local/lib/python3.11/dist-packages/$f"
done
put_file /etc/neutron/neutron.conf root:neutron 640 neutron-server <<EOF2
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9696
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
transport_url = $RABBIT
api_workers = 2
rpc_workers = 1
rpc_state_report_workers = 0
allow_overlapping_ips = true
dhcp_agent_notification = false
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = false
log_dir = $LOGDIR
state_path = $STATE/neutron
[database]
connection = $(db_url neutron neutron)
$(authtoken neutron)
[nova]
$(ksauth nova)
[oslo_concurrency]
lock_path = $STATE/neutron/lock
$POLICY
EOF2
put_file /etc/neutron/plugins/ml2/ml2_conf.ini root:neutron 640 neutron-server <<EOF2
[ml2]
type_drivers = flat,vxlan
tenant_network_types = vxlan
mechanism_drivers = osl_fake
extension_drivers = port_security
[ml2_type_flat]
flat_networks = *
[ml2_type_vxlan]
vni_ranges = 1:1000
[securitygroup]
enable_security_group = true
EOF2
if db_empty neutron; then
  su -s /bin/sh neutron -c "neutron-db-manage --config-file /etc/neutron/neutron.conf --config-file /etc/neutron/plugins/ml2/ml2_conf.ini upgrade head" \
    >"$LOGDIR/neutron-db-manage.out" 2>&1 || { tail "$LOGDIR/neutron-db-manage.out" >&2; die "neutron db upgrade failed"; }
fi
start_daemon neutron-server neutron neutron-server --config-file /etc/neutron/neutron.conf --config-file /etc/neutron/plugins/ml2/ml2_conf.ini
