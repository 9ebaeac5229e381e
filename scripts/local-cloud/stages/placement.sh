# shellcheck shell=bash
# Placement on 127.0.0.1:8778 (uwsgi).
ensure_db placement placement
install -d -o placement -g placement "$STATE/placement"
put_file /etc/placement/placement.conf root:placement 640 placement-api <<EOF2
[DEFAULT]
[api]
auth_strategy = keystone
[placement_database]
connection = $(db_url placement placement)
$(authtoken placement)
$POLICY
EOF2
uwsgi_ini 8778 /usr/bin/placement-api | put_file "$STATE/placement/uwsgi.ini" root:root 644 placement-api
if db_empty placement; then
  su -s /bin/sh placement -c "placement-manage db sync" >"$LOGDIR/placement-manage.out" 2>&1 || die "placement db sync failed"
fi
start_daemon placement-api placement uwsgi_python3 --ini "$STATE/placement/uwsgi.ini"
