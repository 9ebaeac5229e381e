#!/bin/bash
# Hadoop: taking workers out before they are deleted (a scale-down), run on the master, again
# and again until done (each call is idempotent): HDFS decommissions them (their blocks are
# copied to the other DataNodes first), YARN decommissions them gracefully (their running
# containers finish first). Workers are named by their cluster address, as the exclude files
# and the master's reports name them. Definitions only.

# hadoop_as_hadoop CMD...: CMD as the hadoop user (the daemons' own), as the admin commands want.
hadoop_as_hadoop() { runuser -u hadoop -- "$@"; }

# hadoop_exclude_sync FILE IP... -- CMD...: FILE lists IP... (one a line, sorted); CMD (the
# refreshNodes that reads it) runs whenever that list is not the one CMD last took
# (FILE.applied): a failed refresh is tried again by the next call.
hadoop_exclude_sync() {
  local file=$1 want=() ip
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do want+=("$1"); shift; done
  shift
  for ip in "${want[@]}"; do
    [[ $ip =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || { echo "hadoop_exclude_sync: not an address: '$ip'" >&2; return 2; }
  done
  if [ ${#want[@]} -gt 0 ]; then printf '%s\n' "${want[@]}" | sort -u >"$file.tmp"; else : >"$file.tmp"; fi
  mv -f "$file.tmp" "$file"
  if [ -f "$file.applied" ] && cmp -s "$file" "$file.applied"; then return 0; fi
  "$@" >/dev/null || return 1
  cp "$file" "$file.applied"
}

# hadoop_drained KIND IP... < JSON: 0 when the master reports every IP out; else prints those
# still going, one a line, and returns 1. hdfs, the NameNode's NameNodeInfo bean: Decommissioned
# (live or dead); a dead node not decommissioned may hold the last copy of a block: not out.
# yarn, /ws/v1/cluster/nodes: DECOMMISSIONED, SHUTDOWN or LOST. A node the master does not know
# is out.
hadoop_drained() {
  python3 -c '
import json, sys
kind, ips = sys.argv[1], sys.argv[2:]
doc = json.load(sys.stdin)
going = []
if kind == "hdfs":
    bean = doc["beans"][0]
    live, dead = json.loads(bean.get("LiveNodes") or "{}"), json.loads(bean.get("DeadNodes") or "{}")
    ip_of = lambda v: v.get("xferaddr", "").rsplit(":", 1)[0]
    for ip in ips:
        l = [v for v in live.values() if ip_of(v) == ip]
        d = [v for v in dead.values() if ip_of(v) == ip]
        if l and l[0].get("adminState") != "Decommissioned" or not l and d and not d[0].get("decommissioned"):
            going.append(ip)
else:
    nodes = ((doc.get("nodes") or {}).get("node")) or []
    for ip in ips:
        n = [x for x in nodes if x.get("nodeHostName") == ip]
        if n and n[0].get("state") not in ("DECOMMISSIONED", "SHUTDOWN", "LOST"):
            going.append(ip)
if going:
    print("\n".join(going))
sys.exit(1 if going else 0)
' "$@"
}

# hadoop_drain IP...: HDFS decommission and YARN graceful decommission (HADOOP_DRAIN_SECONDS for
# running containers, default 3600) of IP...; 0 once both are done, 1 while in progress (what is
# still going on stdout). With no IP: every worker back in service (a drain called off).
hadoop_drain() {
  local conf=${HADOOP_CONF_DIR:-/opt/hadoop/etc/hadoop} bin=${HADOOP_BIN:-/opt/hadoop/bin} m=$DISCO_MASTER_IP out
  hadoop_exclude_sync "$conf/dfs.exclude" "$@" -- hadoop_as_hadoop "$bin/hdfs" dfsadmin -refreshNodes || return 1
  hadoop_exclude_sync "$conf/yarn.exclude" "$@" -- hadoop_as_hadoop "$bin/yarn" rmadmin -refreshNodes -g "${HADOOP_DRAIN_SECONDS:-3600}" -server || return 1
  [ $# -gt 0 ] || return 0
  # a report that cannot be read (the master busy) counts as not done yet
  out=$(curl -sf --max-time 10 "http://$m:9870/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo" | hadoop_drained hdfs "$@" 2>/dev/null) ||
    { printf '%s\n' "${out:-$*}" | sed 's/^/hdfs: /'; return 1; }
  out=$(curl -sf --max-time 10 "http://$m:8088/ws/v1/cluster/nodes" | hadoop_drained yarn "$@" 2>/dev/null) ||
    { printf '%s\n' "${out:-$*}" | sed 's/^/yarn: /'; return 1; }
}
