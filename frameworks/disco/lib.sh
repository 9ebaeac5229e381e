#!/bin/bash
# Disco MapReduce helpers, part 1 of 3 (membership.sh and units.sh follow). Prefix discomr_
# (bootstrap owns disco_). Definitions only, and the
# computed values are pure functions so test/unit/framework-bootstrap-disco-jupyter.test.ts
# can check them.

# discomr_root: where Disco keeps its data, the same path on every node (settings.py must be
# identical everywhere): all.sh makes it a symlink to the ephemeral disk (/mnt/disco) when
# /mnt is mounted, else a plain directory.
discomr_root() { echo /var/lib/disco/discomr; }

# discomr_compat SRC: our own steps that make upstream 0.5.4's tree (SRC) build and run on
# Erlang/OTP 25 and Python 3.11, each for a known incompatibility:
# - OTP 24 removed erlang:get_stacktrace/0 (an undef at run time, in error handlers): the
#   handlers log no stack instead;
# - OTP 19 deprecated random for rand (uniform/0,1 mean the same);
# - OTP 17 moved the queue() type to queue:queue() (common_types.hrl switches on
#   namespaced_types, which discomr_build_master defines; worker_throttle.erl does not);
# - plists, a dependency only on GitHub, serves one parallel foreach of DDFS's GC: sequential;
# - Python 3: `len(x) is 2` (a SyntaxWarning on every import of disco.util).
discomr_compat() {
  local src=$1
  [ -f "$src/master/src/disco_main.erl" ] || { echo "discomr_compat: $src is not Disco's source tree" >&2; return 1; }
  find "$src/master/src" -name '*.erl' -exec sed -i -e 's/erlang:get_stacktrace()/[]/g' -e 's/\brandom:uniform(/rand:uniform(/g' {} +
  sed -i -E 's/([^:a-z_])queue\(\)/\1queue:queue()/g' "$src/master/src/worker_throttle.erl"
  sed -i 's/\bplists:foreach(/lists:foreach(/' "$src/master/src/ddfs/ddfs_gc_node.erl"
  sed -i 's/len(object) is 2/len(object) == 2/' "$src/lib/disco/util.py"
}

# discomr_build_master SRC: Disco's master compiled into SRC/master/ebin with erlc (rebar's
# options: lager's parse transform, namespaced types; tuple_calls for mochiweb 3's requests),
# and its application file.
discomr_build_master() {
  local src=$1
  install -d "$src/master/ebin"
  (cd "$src/master" && erlc -W0 -o ebin -I include -I src -Dnamespaced_types +debug_info +tuple_calls \
    '+{parse_transform, lager_transform}' src/*.erl src/ddfs/*.erl)
  sed 's/{vsn, *git}/{vsn, "0.5.4"}/' "$src/master/src/disco.app.src" >"$src/master/ebin/disco.app"
}

# discomr_put FILE MODE: stdin to FILE, written by the disco user itself: root never writes
# through a path in disco's home or data (job code runs as disco and could plant a symlink).
discomr_put() {
  # shellcheck disable=SC2016 # "$1" is for the inner sh, not this shell
  runuser -u disco -- sh -c 'cd / && umask 077 && rm -f "$1.tmp" && cat >"$1.tmp" && chmod "$2" "$1.tmp" && mv -f "$1.tmp" "$1"' sh "$1" "$2"
}

# discomr_slots CORES MULTIPLIER: Disco worker slots on a node: floor(cores × multiplier),
# at least 1 (a worker in the node table with 0 slots would take no task, so a multiplier of
# 0 still leaves it one). awk, not $(( )): the multiplier may be fractional (1.5); the
# 1e-9 keeps a product like 100 × 0.29 = 28.999999999999996 from flooring to 28.
discomr_slots() {
  [[ ${1:-} =~ ^[0-9]+$ ]] || { echo "discomr_slots: cores must be a whole number, got '${1:-}'" >&2; return 1; }
  [[ ${2:-} =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "discomr_slots: multiplier must be a number, got '${2:-}'" >&2; return 1; }
  LC_ALL=C awk -v c="$1" -v m="$2" 'BEGIN { s = int(c * m + 1e-9); if (s < 1) s = 1; print s }'
}

# discomr_with_master TABLE NAME CORES MULTIPLIER: TABLE (discomr_config_table's) with the
# master's own row first when MULTIPLIER (bootstrap.master_multiplier) is above 0: the master
# runs tasks on CORES x MULTIPLIER slots, and DDFS keeps nothing on it (discomr_master_gc_blacklist).
discomr_with_master() {
  local table=$1 name=$2 slots
  [[ ${4:-} =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "discomr_with_master: multiplier must be a number, got '${4:-}'" >&2; return 1; }
  if ! LC_ALL=C awk -v m="$4" 'BEGIN { exit !(m + 0 > 0) }'; then printf '%s\n' "$table"; return 0; fi
  [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ && $table == '['* ]] || { echo "discomr_with_master: bad master name or table" >&2; return 1; }
  slots=$(discomr_slots "$3" "$4") || return 1
  printf '[["%s","%s"],%s\n' "$name" "$slots" "${table#[}"
}

# discomr_master_gc_blacklist API NAME: DDFS places no data on the master, a node of the table
# only to run tasks (Disco's gc_blacklist: no writes there, and GC moves what is). Disco keeps
# the list in memory: posted again after every start of the master (the membership refresher).
discomr_master_gc_blacklist() {
  curl -sf --max-time 10 -X POST --data-binary "\"$2\"" "$1/disco/ctrl/gc_blacklist" >/dev/null
}

# discomr_config_table NAMES_CSV SLOTS: the body of POST /disco/ctrl/save_config_table: one
# [name, slots] row per host, both JSON strings (the master's json_validator wants
# {hom_array, {array, [string, string]}}; it reads "a:b" as a range, so no ':' in names).
discomr_config_table() {
  local names=$1 slots=$2 name sep='' out='[' hosts=()
  [[ $slots =~ ^[1-9][0-9]*$ ]] || { echo "discomr_config_table: slots must be a positive whole number" >&2; return 1; }
  IFS=, read -ra hosts <<<"$names"
  [ ${#hosts[@]} -gt 0 ] || { echo "discomr_config_table: no hosts" >&2; return 1; }
  for name in "${hosts[@]}"; do
    [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || { echo "discomr_config_table: bad host name '$name'" >&2; return 1; }
    out+="${sep}[\"$name\",\"$slots\"]"
    sep=,
  done
  printf '%s]\n' "$out"
}

# discomr_write_settings FILE: /etc/disco/settings.py from the environment; the same bytes on
# every node (no per-node value in it). DISCO_DISCO_REPLICAS: DDFS replicas (the manifest's
# default min(3, workers)); DISCO_MASTER_NAME: the master's short name.
discomr_write_settings() {
  local file=$1 r=${DISCO_DISCO_REPLICAS:-} master=${DISCO_MASTER_NAME:-} root
  [[ $r =~ ^[1-9][0-9]*$ ]] || { echo "discomr_write_settings: DISCO_DISCO_REPLICAS must be a positive whole number, got '$r'" >&2; return 1; }
  [[ $master =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || { echo "discomr_write_settings: DISCO_MASTER_NAME is not a host name" >&2; return 1; }
  root=$(discomr_root)
  cat >"$file.tmp" <<EOF
# Disco 0.5.4 settings, written by the cluster bootstrap: identical on every node.
DISCO_HOME = "/usr/lib/disco"
DISCO_MASTER_HOME = "/usr/lib/disco/master"
DISCO_WWW_ROOT = "/usr/share/disco/master/www"
DISCO_USER = "disco"
DISCO_MASTER_HOST = "$master"
DISCO_PORT = 8989
DDFS_PUT_PORT = 8990
# on the ephemeral disk: DDFS data is lost when the cluster is deleted
DISCO_ROOT = "$root"
DISCO_DATA = "$root/data"
DDFS_DATA = "$root/ddfs"
DISCO_MASTER_CONFIG = "$root/disco_8989.config"
DDFS_TAG_MIN_REPLICAS = $r
DDFS_TAG_REPLICAS = $r
DDFS_BLOB_REPLICAS = $r
DISCO_WORKER_MAX_MEM = "80%"
# disco nodaemon under systemd (discomr-master.service): erl without a shell, in the foreground
SYSTEMD_ENABLED = True
# the master and (through slave:start over SSH) every worker run this: the Erlang
# distribution listens in a fixed range the security group opens inside the cluster
DISCO_ERLANG = "erl -kernel inet_dist_listen_min 30000 -kernel inet_dist_listen_max 30010"
EOF
  chmod 0644 "$file.tmp"
  mv -f "$file.tmp" "$file"
}

# discomr_unconnected NAME...: reads GET /disco/ctrl/nodeinfo's JSON on stdin
# ({"<host>": {"connected": true, "max_workers": 4, ...}, ...}) and prints the names that
# are missing or not connected, one a line. Nothing printed: all connected.
discomr_unconnected() {
  python3 -c '
import json, sys
info = json.load(sys.stdin)
for name in sys.argv[1:]:
    if not (isinstance(info.get(name), dict) and info[name].get("connected") is True):
        print(name)
' "$@"
}

# discomr_joined NAME: the master (DISCO_MASTER_IP:8989) lists NAME connected in its node table.
discomr_joined() {
  local info
  info=$(curl -sf --max-time 10 "http://$DISCO_MASTER_IP:8989/disco/ctrl/nodeinfo") || return 1
  [ -z "$(printf '%s' "$info" | discomr_unconnected "$1")" ]
}

