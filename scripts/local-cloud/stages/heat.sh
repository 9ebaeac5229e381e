# shellcheck shell=bash
# Heat on 127.0.0.1:8004: one heat-all process (engine + API) with the in-process fake://
# RPC transport. The API must have exactly one worker: forked API children cannot reach
# the in-process engine (MessagingTimeout after 60 s). Under 20 stacks at once the one
# engine answers its own nested-stack RPCs late: rpc_response_timeout is raised for that.
SERVICE_PASSWORD=$(secret service)
HEAT_DOMAIN_ADMIN_PASSWORD=$(secret heat-domain-admin)
ks_ensure heat <<EOF2
project service
role heat_stack_owner
role heat_stack_user
role member
role reader
user heat $SERVICE_PASSWORD service admin
grant admin admin heat_stack_owner
domain heat
domain_user heat heat_domain_admin $HEAT_DOMAIN_ADMIN_PASSWORD admin
service heat orchestration http://127.0.0.1:8004/v1/%(tenant_id)s
EOF2

ensure_db heat heat
install -d -o heat -g heat -m 750 "$STATE/heat"
put_file /etc/heat/heat.conf root:heat 640 heat-all <<EOF2
# written by scripts/local-cloud/up
[DEFAULT]
log_dir = $LOGDIR
transport_url = fake://
num_engine_workers = 1
rpc_response_timeout = 600
region_name_for_services = RegionOne
stack_user_domain_name = heat
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = $HEAT_DOMAIN_ADMIN_PASSWORD
heat_metadata_server_url = http://127.0.0.1:8000
heat_waitcondition_server_url = http://127.0.0.1:8000/v1/waitcondition
client_retry_limit = 1
[database]
connection = $(db_url heat heat)
[heat_all]
enabled_services = engine,api
[heat_api]
bind_host = 127.0.0.1
bind_port = 8004
workers = 1
[heat_api_cfn]
bind_host = 127.0.0.1
bind_port = 8000
workers = 1
$(authtoken heat)
[trustee]
auth_type = password
auth_url = http://127.0.0.1:5000
username = heat
password = $SERVICE_PASSWORD
user_domain_name = Default
[clients_keystone]
auth_uri = http://127.0.0.1:5000
[ec2authtoken]
auth_uri = http://127.0.0.1:5000/v3
[oslo_messaging_notifications]
driver = noop
[oslo_policy]
enforce_new_defaults = false
enforce_scope = false
EOF2

if db_empty heat || [ ! -f "$STATE/heat/.initialised" ]; then
  su -s /bin/sh heat -c "heat-manage --config-file /etc/heat/heat.conf db_sync" >"$LOGDIR/heat-manage.out" 2>&1 \
    || { tail -20 "$LOGDIR/heat-manage.out" >&2; die "heat db_sync failed"; }
  touch "$STATE/heat/.initialised"
fi
# an engine that stopped answering (MessagingTimeout while its API still answers) is restarted
if is_running heat-all && ! heat_engine_answers 20; then
  log "heat engine does not answer (its API does): restarting heat-all"
  stop_daemon heat-all
fi
start_daemon heat-all heat heat-all --config-file /etc/heat/heat.conf
wait_http http://127.0.0.1:8004/ 120 heat-all
