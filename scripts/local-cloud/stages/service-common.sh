# shellcheck shell=bash
# Config snippets shared by Placement, Glance, Neutron and Nova.
ks_ensure services <<EOF2
user nova $SERVICE_PASSWORD service admin
user placement $SERVICE_PASSWORD service admin
user glance $SERVICE_PASSWORD service admin
user neutron $SERVICE_PASSWORD service admin
service nova compute http://127.0.0.1:8774/v2.1
service placement placement http://127.0.0.1:8778
service glance image http://127.0.0.1:9292
service neutron network http://127.0.0.1:9696
EOF2

# authtoken USER -> [keystone_authtoken] section for service user USER
authtoken() { cat <<EOT
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:5000
auth_url = http://127.0.0.1:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $SERVICE_PASSWORD
EOT
}
# ksauth USER -> password auth lines for the [placement], [neutron], [nova] client sections
ksauth() { cat <<EOT
auth_type = password
auth_url = http://127.0.0.1:5000/v3
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $SERVICE_PASSWORD
region_name = RegionOne
EOT
}
# shellcheck disable=SC2034 # used by the stages sourced after this one
POLICY="[oslo_policy]
enforce_new_defaults = false
enforce_scope = false"

# uwsgi_ini PORT WSGI-FILE [PROCESSES [THREADS]]
uwsgi_ini() { cat <<EOT
[uwsgi]
plugins = python3
http-socket = 127.0.0.1:$1
wsgi-file = $2
master = true
die-on-term = true
no-orphans = true
lazy-apps = true
enable-threads = true
processes = ${3:-1}
threads = ${4:-4}
buffer-size = 65535
add-header = Connection: close
EOT
}
