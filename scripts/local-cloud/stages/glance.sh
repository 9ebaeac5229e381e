# shellcheck shell=bash
# Glance on 127.0.0.1:9292, images on the local file system.
ensure_db glance glance
install -d -o glance -g glance "$STATE/glance" "$STATE/glance/images" "$STATE/glance/staging" "$STATE/glance/tasks"
put_file /etc/glance/glance-api.conf root:glance 640 glance-api <<EOF2
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9292
workers = 1
log_dir = $LOGDIR
enabled_backends = fs:file
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $STATE/glance/images
[os_glance_staging_store]
filesystem_store_datadir = $STATE/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = $STATE/glance/tasks
[database]
connection = $(db_url glance glance)
$(authtoken glance)
[paste_deploy]
flavor = keystone
$POLICY
EOF2
if db_empty glance; then
  su -s /bin/sh glance -c "glance-manage --config-file /etc/glance/glance-api.conf db_sync" >"$LOGDIR/glance-manage.out" 2>&1 || die "glance db_sync failed"
fi
start_daemon glance-api glance glance-api --config-file /etc/glance/glance-api.conf
