# shellcheck shell=bash
# Nova on 127.0.0.1:8774 with compute_driver = fake.FakeDriver: servers go ACTIVE with
# no VM behind them (and so run no user_data).
ensure_db nova_api nova; ensure_db nova nova; ensure_db nova_cell0 nova
install -d -o nova -g nova "$STATE/nova" "$STATE/nova/instances" "$STATE/nova/lock"
put_file /etc/nova/nova.conf root:nova 640 nova-api nova-conductor nova-scheduler nova-compute <<EOF2
[DEFAULT]
transport_url = $RABBIT
compute_driver = fake.FakeDriver
host = local-cloud-compute-1
my_ip = 127.0.0.1
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
metadata_listen = 127.0.0.1
state_path = $STATE/nova
instances_path = $STATE/nova/instances
log_dir = $LOGDIR
# no agent will ever report the VIF plugged
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
[api]
auth_strategy = keystone
[api_database]
connection = $(db_url nova_api nova)
[database]
connection = $(db_url nova nova)
$(authtoken nova)
[placement]
$(ksauth placement)
[neutron]
$(ksauth neutron)
[glance]
region_name = RegionOne
[scheduler]
# the one compute host is mapped once by the seed stage; discovery every 5 s and a second
# scheduler worker were most of an idle scheduler's CPU (143 -> 25 ticks a minute, measured)
discover_hosts_in_cells_interval = -1
workers = 1
[conductor]
workers = 1
[vnc]
enabled = false
[oslo_concurrency]
lock_path = $STATE/nova/lock
[oslo_messaging_notifications]
driver = noop
$POLICY
EOF2
# nova-api is eventlet-patched: with more than one uwsgi thread it deadlocks after ~100 requests
uwsgi_ini 8774 /usr/bin/nova-api-wsgi 2 1 | put_file "$STATE/nova/uwsgi.ini" root:root 644 nova-api
if db_empty nova_api || db_empty nova; then
  {
    su -s /bin/sh nova -c "nova-manage api_db sync" &&
    su -s /bin/sh nova -c "nova-manage cell_v2 map_cell0 --database_connection '$(db_url nova_cell0 nova)'" &&
    { su -s /bin/sh nova -c "nova-manage cell_v2 list_cells" | grep -q ' cell1 ' ||
      su -s /bin/sh nova -c "nova-manage cell_v2 create_cell --name cell1"; } &&
    su -s /bin/sh nova -c "nova-manage db sync"
  } >"$LOGDIR/nova-manage.out" 2>&1 || { tail "$LOGDIR/nova-manage.out" >&2; die "nova db setup failed"; }
fi
start_daemon nova-conductor nova nova-conductor --config-file /etc/nova/nova.conf
start_daemon nova-scheduler nova nova-scheduler --config-file /etc/nova/nova.conf
start_daemon nova-compute nova nova-compute --config-file /etc/nova/nova.conf
start_daemon nova-api nova uwsgi_python3 --ini "$STATE/nova/uwsgi.ini"
