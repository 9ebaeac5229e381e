#!/bin/bash
# bootstrap, master: the gateway, the one door to the cluster's web UIs. nginx with this
# cluster's own certificate, made here (its private key never leaves the master; the
# fingerprint travels back in this section's signal and GET reports it), and HTTP basic auth
# as "disco" with the cluster's gateway_password (its hash only, on disk). Port 8443 serves
# the nodes' progress pages (disco_status_push); each framework UI listed in DISCO_GATEWAY_UIS
# ("name:port:gateway_port ...") is proxied from its gateway_port to the UI on the cluster
# network, where it listens and nothing outside reaches it. It also serves the workers the
# artifacts the master downloaded (DISCO_ARTIFACT_PORT, cluster network only).
# shellcheck disable=SC2154,SC2016 # (nginx variables in single quotes are nginx's)

disco_apt_install nginx-light openssl
install -d -m 0755 /etc/disco-gateway /var/lib/disco-gateway /var/lib/disco-gateway/status "$DISCO_ARTIFACT_DIR"
if [ ! -s /etc/disco-gateway/key.pem ]; then
  (
    umask 077
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
      -subj "/CN=$DISCO_NODE" -keyout /etc/disco-gateway/key.pem -out /etc/disco-gateway/cert.pem 2>/dev/null
  )
fi
chmod 0644 /etc/disco-gateway/cert.pem
# the password reaches openssl on stdin, never a command line; nginx reads the hash as www-data
disco_gateway_hash=$(disco_secret bootstrap_gateway_password | openssl passwd -6 -stdin)
[ -n "$disco_gateway_hash" ] || { echo "bootstrap: the gateway_password secret is empty" >&2; false; }
printf 'disco:%s\n' "$disco_gateway_hash" >/etc/disco-gateway/htpasswd.tmp
chown root:www-data /etc/disco-gateway/htpasswd.tmp
chmod 0640 /etc/disco-gateway/htpasswd.tmp
mv -f /etc/disco-gateway/htpasswd.tmp /etc/disco-gateway/htpasswd

disco_gateway_conf >/etc/nginx/sites-available/disco-gateway
if [[ " ${DISCO_GATEWAY_UIS:-} " == *:nodes\ * ]]; then disco_gateway_nodes_install; fi
ln -sfn /etc/nginx/sites-available/disco-gateway /etc/nginx/sites-enabled/disco-gateway
rm -f /etc/nginx/sites-enabled/default
nginx -t
systemctl enable nginx >/dev/null 2>&1 || true
systemctl restart nginx
# what the service reports: the certificate's fingerprint and curl's --pinnedpubkey form
disco_gateway_fp=$(openssl x509 -in /etc/disco-gateway/cert.pem -noout -fingerprint -sha256 | sed 's/^.*=//')
disco_gateway_pin=$(openssl x509 -in /etc/disco-gateway/cert.pem -noout -pubkey | openssl pkey -pubin -outform der |
  openssl dgst -sha256 -binary | base64)
printf 'gateway %s sha256//%s' "$disco_gateway_fp" "$disco_gateway_pin" >"$DISCO_STATE/signal-data"
echo "bootstrap: the gateway listens on 8443${DISCO_GATEWAY_UIS:+ and for $DISCO_GATEWAY_UIS} (certificate SHA-256 $disco_gateway_fp)"
# the drain agent, in clusters whose frameworks take workers out before a scale-down (the
# node script defines it then, and Heat gave the master its channel)
if declare -F disco_drain_agent_install >/dev/null && [[ $DISCO_DRAIN == *'"user_id"'* ]]; then
  disco_drain_agent_install
fi
