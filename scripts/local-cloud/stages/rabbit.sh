# shellcheck shell=bash
# RabbitMQ on 127.0.0.1:5672 (epmd 4369, distribution 25672, all loopback) for Nova and
# Neutron RPC. guest/guest, which RabbitMQ accepts only over loopback anyway.
if ! is_running rabbitmq; then
  install -d -o rabbitmq -g rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
  start_daemon epmd rabbitmq epmd -address 127.0.0.1 -port 4369
  # RUNNING_UNDER_SYSTEMD makes the start script exec erl, so the recorded pid is beam's
  start_daemon rabbitmq rabbitmq env HOME=/var/lib/rabbitmq RUNNING_UNDER_SYSTEMD=1 \
    RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672 \
    RABBITMQ_DIST_PORT=25672 ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_LOGS=- \
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}" \
    /usr/lib/rabbitmq/bin/rabbitmq-server
fi
for _ in $(seq 1 120); do
  (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null && break
  is_running rabbitmq || { tail -20 "$LOGDIR/rabbitmq.out" >&2; die "rabbitmq died"; }
  sleep 0.5
done
(exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null || die "rabbitmq is not listening on 5672"
# shellcheck disable=SC2034 # used by the stages sourced after this one
RABBIT=rabbit://guest:guest@127.0.0.1:5672/
