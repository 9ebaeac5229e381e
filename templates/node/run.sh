DISCO_STATE=${DISCO_STATE:-/var/lib/disco-bootstrap}
install -d -m 700 "$DISCO_STATE"
base64 -d <<'DISCO_PAYLOAD' | gunzip >"$DISCO_STATE/node-script.sh"
__PAYLOAD__
DISCO_PAYLOAD
# shellcheck source=/dev/null
. "$DISCO_STATE/node-script.sh"
