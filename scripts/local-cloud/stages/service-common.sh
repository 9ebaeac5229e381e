# shellcheck shell=bash
# Keystone users and catalog entries of Placement, Glance, Neutron and Nova.
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

