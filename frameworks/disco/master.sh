#!/bin/bash
# Disco master: wait for the workers, (re)start the master as the disco user, give it the node
# table (the workers only: the master is not a DDFS data node) and wait until every worker's
# Erlang node is connected. API as in Disco 0.5.4's master/src/disco_web.erl and disco_config.erl.
# Then the membership refresher (discomr-membership.timer) keeps the host and node tables in step
# with the workers registered as the cluster is scaled.
# DISCO_WORKER_VCPUS, DISCO_BOOTSTRAP_WORKER_MULTIPLIER, DISCO_DISCO_REPLICAS, DISCO_MASTER_*,
# DISCO_CLUSTER come from the node script's environment.
# shellcheck disable=SC2154

discomr_mr_state=/var/lib/discomr-membership
# DISCO_WORKERS is the count at create: once the refresher took over (a re-run after the
# cluster was created, and maybe scaled), wait for no particular count
if [ -s "$discomr_mr_state/table.json" ]; then
  DISCO_WORKERS=0 disco_wait_nodes 1800
else
  disco_wait_nodes 1800
fi
mapfile -t discomr_workers < <(disco_worker_names)
[ ${#discomr_workers[@]} -gt 0 ] || { echo "disco: no worker registered; DDFS stores data on the workers only" >&2; false; }
discomr_each=$(discomr_slots "$DISCO_WORKER_VCPUS" "${DISCO_BOOTSTRAP_WORKER_MULTIPLIER:-1}")
discomr_table=$(discomr_config_table "$(IFS=,; echo "${discomr_workers[*]}")" "$discomr_each")
# bootstrap.master_multiplier above 0: the master runs tasks too (never DDFS data)
discomr_mm=${DISCO_BOOTSTRAP_MASTER_MULTIPLIER:-0}
discomr_table=$(discomr_with_master "$discomr_table" "$DISCO_MASTER_NAME" "$DISCO_MASTER_VCPUS" "$discomr_mm")
discomr_nodes=("${discomr_workers[@]}")
if [[ $discomr_table == '[["'"$DISCO_MASTER_NAME"'"'* ]]; then discomr_nodes+=("$DISCO_MASTER_NAME"); fi
discomr_root=$(discomr_root)
discomr_home=$(getent passwd disco | cut -d: -f6)
discomr_api=http://127.0.0.1:8989

# The master starts each worker's Erlang node with `ssh <worker> erl ...` as disco: wait until
# every worker finished its install (disco user, cookie, settings.py written last) and check
# that it runs what the master runs: the same settings.py, Erlang/OTP and Python releases
# (discomr-runtime; first contact also records the host key).
discomr_mine=$(discomr-runtime)
discomr_deadline=$((SECONDS + $(disco_wait_cap 1800)))
for discomr_w in "${discomr_workers[@]}"; do
  until discomr_remote=$(runuser -u disco -- ssh -n "$discomr_w" \
      'test -r ~/.erlang.cookie && discomr-runtime' 2>/dev/null); do
    if [ "$SECONDS" -ge "$discomr_deadline" ]; then
      echo "disco: $discomr_w did not finish installing Disco (SSH as disco, cookie, discomr-runtime, /etc/disco/settings.py) in the time it had (at most 1800 s)" >&2
      false
    fi
    sleep 10
  done
  [ "$discomr_remote" = "$discomr_mine" ] || { echo "disco: $discomr_w runs $discomr_remote; the master runs $discomr_mine" >&2; false; }
done

# The node table before the start: else a first start makes Disco's default [["localhost", cores]]
# and the master would briefly run a data node itself.
printf '%s\n' "$discomr_table" | discomr_put "$discomr_root/disco_8989.config" 0644
# The master under systemd: restarted when it fails, started at boot (discomr_master_unit)
install -d -m 0755 /usr/local/sbin
discomr_clean_pids_script >/usr/local/sbin/.discomr-clean-pids.tmp
chmod 0755 /usr/local/sbin/.discomr-clean-pids.tmp
mv -f /usr/local/sbin/.discomr-clean-pids.tmp /usr/local/sbin/discomr-clean-pids
discomr_master_unit /etc/systemd/system "$discomr_home"
systemctl daemon-reload
systemctl enable discomr-master.service >/dev/null 2>&1
systemctl restart discomr-master.service

discomr_deadline=$((SECONDS + $(disco_wait_cap 180)))
until discomr_version=$(curl -sf --max-time 5 "$discomr_api/disco/version"); do
  if [ "$SECONDS" -ge "$discomr_deadline" ]; then
    echo "disco: the master did not answer GET /disco/version within 180 s (logs: $discomr_root/log/)" >&2
    false
  fi
  sleep 3
done
echo "disco: master $discomr_version is up"

# POST the table (rows of two strings); the master answers "table saved!" or 400 with the reason
discomr_resp=$(curl -sS --max-time 30 -X POST -H 'Content-Type: application/json' --data-binary "$discomr_table" \
  -w '\n%{http_code}' "$discomr_api/disco/ctrl/save_config_table")
if [ "${discomr_resp##*$'\n'}" != 200 ] || [[ ${discomr_resp%$'\n'*} != *"table saved"* ]]; then
  echo "disco: save_config_table refused $discomr_table: ${discomr_resp//$'\n'/ }" >&2
  false
fi
if [ ${#discomr_nodes[@]} -gt ${#discomr_workers[@]} ]; then
  discomr_master_gc_blacklist "$discomr_api" "$DISCO_MASTER_NAME" ||
    { echo "disco: the master would not take itself out of DDFS (POST /disco/ctrl/gc_blacklist)" >&2; false; }
fi

# The master (re)starts a worker's node every 15 s until it is up: wait, bounded, for all
discomr_deadline=$((SECONDS + $(disco_wait_cap 600)))
discomr_missing=${discomr_nodes[*]}
until discomr_info=$(curl -sf --max-time 10 "$discomr_api/disco/ctrl/nodeinfo") &&
  discomr_missing=$(printf '%s' "$discomr_info" | discomr_unconnected "${discomr_nodes[@]}") &&
  [ -z "$discomr_missing" ]; do
  if [ "$SECONDS" -ge "$discomr_deadline" ]; then
    echo "disco: not connected in the time it had (at most 600 s): $(echo "$discomr_missing" | tr '\n' ' ')(logs: $discomr_root/log/)" >&2
    false
  fi
  sleep 5
done

# The membership refresher: a script from this node script's own functions, its environment as
# at create (root-only), a oneshot service and a timer every 30 s. It starts from the table Disco
# just took, and runs once now so a broken install fails this section rather than the timer.
install -d -m 0700 "$discomr_mr_state"
printf '%s\n' "$discomr_table" >"$discomr_mr_state/table.json"
install -d -m 0755 /etc/disco-cluster /usr/local/sbin
discomr_membership_env /etc/disco-cluster/membership.env
discomr_membership_script >/usr/local/sbin/.discomr-membership.tmp
chmod 0755 /usr/local/sbin/.discomr-membership.tmp
mv -f /usr/local/sbin/.discomr-membership.tmp /usr/local/sbin/discomr-membership
discomr_membership_units /etc/systemd/system
systemctl daemon-reload
systemctl start discomr-membership.service ||
  { journalctl -u discomr-membership.service -n 20 --no-pager >&2 || true; echo "disco: the membership refresher failed its first run" >&2; false; }
systemctl enable --now discomr-membership.timer
echo "disco: membership refresher enabled (discomr-membership.timer, every 30 s; journalctl -u discomr-membership)"

echo "disco: web UI http://$DISCO_MASTER_IP:8989/ ; clients: DISCO_MASTER=http://$DISCO_MASTER_NAME:8989"
echo "disco: node table ${#discomr_workers[@]} workers x $discomr_each slots$([ ${#discomr_nodes[@]} -eq ${#discomr_workers[@]} ] || echo " and the master (tasks only, no DDFS data)"), all connected; DDFS replicas (tag min, tag, blob) = $DISCO_DISCO_REPLICAS; data on the nodes' ephemeral disks is lost with the cluster"
