#!/bin/bash
# Disco on a worker: done only once the master lists this node connected in its node table
# (GET /disco/ctrl/nodeinfo on the cluster network). The master starts the worker's Erlang
# node itself over SSH: at create once every worker is installed, after a scale-up when its
# membership refresher (every 30 s) adds the new worker. Ready means joined.
# DISCO_MASTER_IP and DISCO_NODE come from the node script's environment.
# shellcheck disable=SC2154

discomr_deadline=$((SECONDS + $(disco_wait_cap 900)))
until discomr_joined "$DISCO_NODE"; do
  if [ "$SECONDS" -ge "$discomr_deadline" ]; then
    echo "disco: the master (http://$DISCO_MASTER_IP:8989) did not list $DISCO_NODE as connected in the time it had (at most 900 s)" >&2
    false
  fi
  sleep 5
done
echo "disco: $DISCO_NODE is connected in the master's node table"
