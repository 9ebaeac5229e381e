base64 -d <<'DISCO_PAYLOAD' | gunzip >"$DISCO_STATE/node-script.sh"
__PAYLOAD__
DISCO_PAYLOAD
# shellcheck source=/dev/null
. "$DISCO_STATE/node-script.sh"
