# shellcheck shell=bash
# Keystone on 127.0.0.1:5000 (uwsgi, MariaDB, fernet tokens), its cache in memcached.
# Measured (issue 11): with [cache] off, every token validation rebuilt the token from the
# database, ~500 ms of CPU each, and Keystone used more CPU than Heat, Neutron and MariaDB
# together; cached, ~10 ms. A real cloud runs Keystone with memcached too. The cache is
# shared by both uwsgi workers, so a revoked token or deleted credential is refused by both.
ADMIN_PASSWORD=$(secret admin)
start_daemon memcached memcache memcached -l 127.0.0.1 -p 11211 -m 64 -U 0
ensure_db keystone keystone
install -d -o keystone -g keystone -m 750 "$STATE/keystone"
put_file /etc/keystone/keystone.conf root:keystone 640 keystone <<EOF2
# written by scripts/local-cloud/up
[DEFAULT]
log_dir = $LOGDIR
log_file = keystone.log
[database]
connection = $(db_url keystone keystone)
[token]
provider = fernet
expiration = 14400
[cache]
enabled = true
backend = oslo_cache.memcache_pool
memcache_servers = 127.0.0.1:11211
[identity]
# a test cloud: bcrypt at 4 rounds (0.8 ms a check) instead of 12 (~200 ms), for the
# passwords set from now on (Heat makes a stack user with a password per wait condition)
password_hash_rounds = 4
[oslo_policy]
enforce_new_defaults = false
enforce_scope = false
EOF2
touch "$LOGDIR/keystone.log"; chown keystone "$LOGDIR/keystone.log"

# uwsgi's http-socket does not keep connections alive: "Connection: close" tells pooling
# clients not to reuse them (else the second request on a connection is reset).
put_file "$STATE/keystone/uwsgi.ini" root:root 644 keystone <<EOF2
[uwsgi]
plugins = python3
http-socket = 127.0.0.1:5000
wsgi-file = /usr/bin/keystone-wsgi-public
master = true
die-on-term = true
no-orphans = true
lazy-apps = true
enable-threads = true
processes = 2
threads = 4
buffer-size = 65535
add-header = Connection: close
listen = 100
EOF2

if db_empty keystone || [ ! -f "$STATE/keystone/.initialised" ]; then
  install -d -o keystone -g keystone -m 700 /etc/keystone/fernet-keys /etc/keystone/credential-keys
  su -s /bin/sh keystone -c "keystone-manage db_sync" >"$LOGDIR/keystone-manage.out" 2>&1 \
    || { tail -20 "$LOGDIR/keystone-manage.out" >&2; die "keystone db_sync failed"; }
  keystone-manage fernet_setup --keystone-user keystone --keystone-group keystone >>"$LOGDIR/keystone-manage.out" 2>&1
  keystone-manage credential_setup --keystone-user keystone --keystone-group keystone >>"$LOGDIR/keystone-manage.out" 2>&1
  date +%s.%N > "$STATE/keystone/.initialised"
  rm -f "$STATE/keystone/.bootstrapped"
fi
# bootstrap (admin user, project, role, identity endpoint) again whenever the admin secret
# is new: it is idempotent and resets the admin password
admin_sum=$(printf '%s' "$ADMIN_PASSWORD" | md5sum | cut -c1-32)
if [ "$(cat "$STATE/keystone/.bootstrapped" 2>/dev/null)" != "$admin_sum" ]; then
  OS_BOOTSTRAP_PASSWORD=$ADMIN_PASSWORD su -s /bin/sh keystone -w OS_BOOTSTRAP_PASSWORD -c "keystone-manage bootstrap \
      --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
      --bootstrap-service-name keystone --bootstrap-region-id RegionOne \
      --bootstrap-admin-url $KS --bootstrap-public-url $KS --bootstrap-internal-url $KS" \
      >>"$LOGDIR/keystone-manage.out" 2>&1 || { tail -20 "$LOGDIR/keystone-manage.out" >&2; die "keystone bootstrap failed"; }
  echo "$admin_sum" > "$STATE/keystone/.bootstrapped"
fi

start_daemon keystone keystone uwsgi_python3 --ini "$STATE/keystone/uwsgi.ini"
wait_http "$KS" 120 keystone

(umask 077; cat > "$STATE/adminrc" <<EOF2
export OS_AUTH_URL=$KS
export OS_IDENTITY_API_VERSION=3
export OS_USERNAME=admin
export OS_PASSWORD=$ADMIN_PASSWORD
export OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_ID=default
export OS_PROJECT_DOMAIN_ID=default
export OS_REGION_NAME=RegionOne
EOF2
)
[ -n "$(ks_token admin "$ADMIN_PASSWORD" admin)" ] || die "no admin token from keystone (see $LOGDIR/keystone.log)"
log "keystone answers on $KS"
