# shellcheck shell=bash
# What tests and users need: two ordinary projects with a member user each (and a third,
# "bulk", with quotas for many clusters at once), flavors, a tiny public image, an
# external network; then the env file the tests read.
DEMO_PASSWORD=$(secret demo)
OTHER_PASSWORD=$(secret other)
BULK_PASSWORD=$(secret bulk)
BENCH_PASSWORD=$(secret bench)
# in the demo project besides demo: a reader only (may look, may change nothing) and a second
# member (may change, sees no secret of demo's clusters): the policy tests' callers
READER_PASSWORD=$(secret demo-reader)
PEER_PASSWORD=$(secret demo-peer)
# test lanes: the heavy test files run side by side, each in its own project (quota, stacks,
# nodes), so none sees another's clusters; one password for the lane users
LANES="lifecycle failures crash prodmode signals icclab restart errors nodes readme disco dashboard cli image"
LANES_PASSWORD=$(secret lanes)
# member: Nova/Neutron/Glance; heat_stack_owner: own Heat stacks. Neither is admin.
ks_ensure projects <<EOF2
user demo $DEMO_PASSWORD demo member
grant demo demo heat_stack_owner
grant demo demo reader
user demo-reader $READER_PASSWORD demo reader
user demo-peer $PEER_PASSWORD demo member
grant demo-peer demo heat_stack_owner
grant demo-peer demo reader
user other $OTHER_PASSWORD other member
grant other other heat_stack_owner
grant other other reader
user bulk $BULK_PASSWORD bulk member
grant bulk bulk heat_stack_owner
grant bulk bulk reader
user bench $BENCH_PASSWORD bench member
grant bench bench heat_stack_owner
grant bench bench reader
$(for l in $LANES; do printf 'user %s %s %s member\ngrant %s %s heat_stack_owner\ngrant %s %s reader\n' "$l" "$LANES_PASSWORD" "$l" "$l" "$l" "$l" "$l"; done)
user dashboard-reader $LANES_PASSWORD dashboard reader
EOF2

wait_http http://127.0.0.1:8778/ 120 placement-api
wait_http http://127.0.0.1:9292/ 120 glance-api
wait_http http://127.0.0.1:9696/ 120 neutron-server
wait_http http://127.0.0.1:8774/ 120 nova-api

TOK=$(ks_token admin "$ADMIN_PASSWORD" admin)
[ -n "$TOK" ] || die "no admin token"
api() { curl -s -f --max-time 60 -H "X-Auth-Token: $TOK" -H 'Content-Type: application/json' "$@"; }

# the API may answer before the engine takes RPC: wait for a real template validation
ADMIN_PROJECT=$(api "$KS/auth/projects" | jq -r '.projects[]|select(.name=="admin").id')
for _ in $(seq 1 60); do
  api -o /dev/null "http://127.0.0.1:8004/v1/$ADMIN_PROJECT/validate" \
    -d '{"template":{"heat_template_version":"2018-08-31","resources":{"n":{"type":"OS::Heat::None"}}}}' && break
  sleep 1
done || true
api -o /dev/null "http://127.0.0.1:8004/v1/$ADMIN_PROJECT/validate" \
  -d '{"template":{"heat_template_version":"2018-08-31","resources":{"n":{"type":"OS::Heat::None"}}}}' \
  || die "heat engine does not answer (see $LOGDIR/heat*.log)"

# flavor NAME ID VCPUS RAM_MB DISK_GB
flavor() {
  api -o /dev/null "http://127.0.0.1:8774/v2.1/flavors/$2" && return 0
  api -o /dev/null -X POST http://127.0.0.1:8774/v2.1/flavors \
    -d "{\"flavor\":{\"name\":\"$1\",\"id\":\"$2\",\"vcpus\":$3,\"ram\":$4,\"disk\":$5}}" || die "flavor $1 create failed"
}
flavor m1.tiny 1 1 64 1
flavor m1.small 2 1 2048 20
flavor m1.medium 3 2 4096 40
flavor m1.large 4 4 8192 80
# a flavor no host can take (a required trait nobody has): servers of it go to ERROR with
# "No valid host", the way a full cloud fails; for tests of provisioning failures
flavor m1.unschedulable 9 1 64 1
api -o /dev/null -X POST http://127.0.0.1:8774/v2.1/flavors/9/os-extra_specs \
  -d '{"extra_specs":{"trait:CUSTOM_DISCO_NOWHERE":"required"}}' || die "flavor extra specs failed"

IMG=11111111-2222-3333-4444-555555555555
if [ "$(api "http://127.0.0.1:9292/v2/images/$IMG" | jq -r .status)" != active ]; then
  api -o /dev/null "http://127.0.0.1:9292/v2/images/$IMG" || api -o /dev/null -X POST http://127.0.0.1:9292/v2/images \
    -d "{\"id\":\"$IMG\",\"name\":\"cirros\",\"disk_format\":\"raw\",\"container_format\":\"bare\",\"visibility\":\"public\"}" \
    || die "image create failed"
  head -c 1048576 /dev/zero | curl -s -f -X PUT -H "X-Auth-Token: $TOK" -H 'Content-Type: application/octet-stream' \
    --data-binary @- "http://127.0.0.1:9292/v2/images/$IMG/file" || die "image upload failed"
fi

if [ "$(api 'http://127.0.0.1:9696/v2.0/networks?name=public' | jq '.networks|length')" = 0 ]; then
  NET=$(api -X POST http://127.0.0.1:9696/v2.0/networks -d '{"network":{"name":"public","router:external":true,
    "shared":false,"provider:network_type":"flat","provider:physical_network":"public"}}' | jq -r .network.id)
  if [ -z "$NET" ] || [ "$NET" = null ]; then die "external network create failed"; fi
  # TEST-NET-1 documentation range: nothing is routed there; the "VMs" are fake anyway
  api -o /dev/null -X POST http://127.0.0.1:9696/v2.0/subnets -d "{\"subnet\":{\"name\":\"public-subnet\",\"network_id\":\"$NET\",
    \"ip_version\":4,\"cidr\":\"192.0.2.0/24\",\"gateway_ip\":\"192.0.2.1\",\"enable_dhcp\":false,
    \"allocation_pools\":[{\"start\":\"192.0.2.100\",\"end\":\"192.0.2.250\"}]}}" || die "external subnet create failed"
fi

# project_quota NAME NOVA_QUOTA_SET NEUTRON_QUOTA — a project's quotas (JSON bodies)
project_quota() {
  local id
  id=$(api "$KS/projects?name=$1" | jq -r '.projects[0].id')
  if [ -z "$id" ] || [ "$id" = null ]; then die "project $1 not found"; fi
  api -o /dev/null -X PUT "http://127.0.0.1:8774/v2.1/os-quota-sets/$id" -d "{\"quota_set\":$2}" || die "nova quota for $1 failed"
  api -o /dev/null -X PUT "http://127.0.0.1:9696/v2.0/quotas/$id" -d "{\"quota\":$3}" || die "neutron quota for $1 failed"
}
# demo: Nova's default cores (20: dry-run's over-quota case counts on them) and RAM, but room
# for 30 instances, 20 routers and 20 security groups: the files that share it run side by
# side (measured: its 10 default instances all in use, and nine files failed on it)
project_quota demo '{"instances":30}' '{"router":20,"security_group":20,"security_group_rule":400,"port":500}'
# bulk: room for 40 small clusters at once (the multi-process tests)
BULK_NOVA='{"instances":200,"cores":400,"ram":2000000}'
BULK_NEUTRON='{"network":100,"subnet":100,"router":100,"floatingip":100,"security_group":100,"security_group_rule":2000,"port":1000}'
project_quota bulk "$BULK_NOVA" "$BULK_NEUTRON"
# the lanes: bulk's room, but 20 instances for lifecycle and dashboard, so that their over-quota scale and create are refused
for l in $LANES; do
  if [ "$l" = lifecycle ] || [ "$l" = dashboard ]; then project_quota "$l" '{"instances":20,"cores":400,"ram":2000000}' "$BULK_NEUTRON"
  else project_quota "$l" "$BULK_NOVA" "$BULK_NEUTRON"; fi
done
# bench: no limits (npm run bench admits hundreds of clusters that never reach the cloud)
project_quota bench '{"instances":-1,"cores":-1,"ram":-1}' \
  '{"network":-1,"subnet":-1,"router":-1,"floatingip":-1,"security_group":-1,"security_group_rule":-1,"port":-1}'

# the fake compute node must be registered in placement and mapped to cell1. The scheduler's
# periodic discovery is off (see nova.sh): the host is mapped here, once, when nova-compute has
# made its compute node (unmapped, Nova lists no hypervisor and schedules no server on it)
mapped() { [ "$(mariadb -uroot -N -e "select count(*) from nova_api.host_mappings where host='local-cloud-compute-1'")" != 0 ]; }
registered() { [ "$(mariadb -uroot -N -e "select count(*) from nova.services where host='local-cloud-compute-1' and \`binary\`='nova-compute' and deleted=0")" != 0 ]; }
n=0
for _ in $(seq 1 120); do
  if ! mapped && registered; then
    # by service: maps the host whatever its compute node row says it was before
    su -s /bin/sh nova -c "nova-manage cell_v2 discover_hosts --by-service" >>"$LOGDIR/nova-manage.out" 2>&1 \
      || { tail "$LOGDIR/nova-manage.out" >&2; die "nova-manage cell_v2 discover_hosts failed"; }
    mapped || die "nova-manage cell_v2 discover_hosts did not map local-cloud-compute-1 (see $LOGDIR/nova-manage.out)"
    log "compute host mapped to cell1"
  fi
  n=$(api "http://127.0.0.1:8774/v2.1/os-hypervisors" | jq '[.hypervisors[]|select(.state=="up")]|length' 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 1 ] && break
  sleep 1
done
[ "${n:-0}" -ge 1 ] || die "no nova hypervisor came up (see $LOGDIR/nova-compute.log)"

install -d -m 755 "$PROJECT_ROOT/var/local-cloud"
(umask 077; cat > "$PROJECT_ROOT/var/local-cloud/env.tmp" <<EOF2
# written by scripts/local-cloud/up: the local cloud's credentials (loopback only)
OS_AUTH_URL=$KS
OS_USERNAME=demo
OS_PASSWORD=$DEMO_PASSWORD
OS_PROJECT_NAME=demo
OS_USER_DOMAIN_NAME=Default
OS_PROJECT_DOMAIN_NAME=Default
OS_REGION_NAME=RegionOne
READER_OS_USERNAME=demo-reader
READER_OS_PASSWORD=$READER_PASSWORD
PEER_OS_USERNAME=demo-peer
PEER_OS_PASSWORD=$PEER_PASSWORD
OTHER_OS_USERNAME=other
OTHER_OS_PASSWORD=$OTHER_PASSWORD
OTHER_OS_PROJECT_NAME=other
BULK_OS_USERNAME=bulk
BULK_OS_PASSWORD=$BULK_PASSWORD
BULK_OS_PROJECT_NAME=bulk
BENCH_OS_USERNAME=bench
BENCH_OS_PASSWORD=$BENCH_PASSWORD
BENCH_OS_PROJECT_NAME=bench
LANES=${LANES// /,}
LANES_OS_PASSWORD=$LANES_PASSWORD
ADMIN_OS_USERNAME=admin
ADMIN_OS_PASSWORD=$ADMIN_PASSWORD
ADMIN_OS_PROJECT_NAME=admin
LOCAL_CLOUD_EXTERNAL_NETWORK=public
LOCAL_CLOUD_FLAVOR=m1.tiny
LOCAL_CLOUD_IMAGE=cirros
EOF2
)
mv "$PROJECT_ROOT/var/local-cloud/env.tmp" "$PROJECT_ROOT/var/local-cloud/env"
