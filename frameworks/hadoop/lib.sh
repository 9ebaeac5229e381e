#!/bin/bash
# Hadoop's functions, pasted at the top level of every node script (spark and zeppelin use
# some of them too) and sourced by test/unit/framework-hadoop.test.ts. Definitions only.

# The release; the manifest's version (a test keeps the two equal).
hadoop_version() { echo "${DISCO_HADOOP_VERSION:-3.3.6}"; }

# hadoop_yarn_sizing RAM_MB VCPUS DISKS: YARN and MapReduce sizes for one NodeManager of that
# flavor, as key=value lines. Pure (no files, no environment). Hortonworks' HDP rules:
# - reserved for the OS and the daemons: the row of the largest RAM not above the node's in
#   HDP's table (GB:reserved GB) below, 1 GB under 4 GB; then YARN keeps at least 512 MB
#   (available = max(512, RAM - reserved)), so a 1 GB node leaves 512 MB to the OS.
# - min container by available RAM: < 4 GB 256 MB, < 8 GB 512, <= 24 GB 1024, above 2048.
# - containers = max(1, min(2*cores, ceil(1.8*disks), floor(available/min_container)));
#   DISKS = 0 means the disk count says nothing (one virtual disk, as on a cloud VM, whose
#   I/O is not that of one spindle): the disk bound is skipped, so
#   containers = max(1, min(2*cores, floor(available/min_container)));
#   ram per container = max(min_container, floor(available/containers)).
# MapReduce tasks and the MR ApplicationMaster each take one container (HDP doubles the
# reducer and the AM, but with 1-2 containers a node that deadlocks a one-worker cluster),
# with a heap of 0.8 x the container.
hadoop_yarn_sizing() {
  local ram=${1:-} cores=${2:-} disks=${3:-} reserved=1024 row avail min containers by_disk rpc heap
  # Decimal integers without leading zeros (bash reads 08 as bad octal), each tagged by its
  # first letter: RAM and VCPUS positive, DISKS positive or exactly 0.
  for row in "r$ram" "c$cores" "d$disks"; do
    case $row in
      d0) ;;
      ? | ?*[!0-9]* | ?0*) echo "hadoop_yarn_sizing: usage: hadoop_yarn_sizing RAM_MB VCPUS DISKS (RAM_MB, VCPUS positive integers; DISKS a positive integer, or 0 for a virtual disk), got '$*'" >&2; return 1 ;;
    esac
  done
  for row in 4:1 8:2 16:2 24:4 48:6 64:8 72:8 96:12 128:24 256:32 512:64; do
    if [ "$ram" -ge $((${row%%:*} * 1024)) ]; then reserved=$((${row#*:} * 1024)); fi
  done
  avail=$((ram - reserved))
  if [ "$avail" -lt 512 ]; then avail=512; fi
  if [ "$avail" -lt 4096 ]; then min=256
  elif [ "$avail" -lt 8192 ]; then min=512
  elif [ "$avail" -le 24576 ]; then min=1024
  else min=2048; fi
  containers=$((2 * cores))
  if [ "$disks" -gt 0 ]; then
    by_disk=$(((18 * disks + 9) / 10))
    if [ "$by_disk" -lt "$containers" ]; then containers=$by_disk; fi
  fi
  if [ $((avail / min)) -lt "$containers" ]; then containers=$((avail / min)); fi
  if [ "$containers" -lt 1 ]; then containers=1; fi
  rpc=$((avail / containers))
  if [ "$rpc" -lt "$min" ]; then rpc=$min; fi
  heap=$((rpc * 8 / 10))
  printf '%s\n' "reserved_mb=$((ram > avail ? ram - avail : 0))" "available_mb=$avail" "min_container_mb=$min" \
    "containers=$containers" "ram_per_container_mb=$rpc" \
    "yarn.nodemanager.resource.memory-mb=$((containers * rpc))" "yarn.nodemanager.resource.cpu-vcores=$cores" \
    "yarn.scheduler.minimum-allocation-mb=$rpc" "yarn.scheduler.maximum-allocation-mb=$((containers * rpc))" \
    "yarn.scheduler.maximum-allocation-vcores=$cores" \
    "mapreduce.map.memory.mb=$rpc" "mapreduce.reduce.memory.mb=$rpc" \
    "mapreduce.map.java.opts=-Xmx${heap}m" "mapreduce.reduce.java.opts=-Xmx${heap}m" \
    "yarn.app.mapreduce.am.resource.mb=$rpc" "yarn.app.mapreduce.am.command-opts=-Xmx${heap}m"
}

# hadoop_require VAR...: fail naming the first VAR that is unset or empty.
hadoop_require() {
  local v
  for v in "$@"; do
    if [ -z "${!v:-}" ]; then echo "ERROR: $v is not set" >&2; return 1; fi
  done
}

# hadoop_value KEY: the value of KEY in key=value lines on stdin.
hadoop_value() { awk -v k="$1" 'index($0, k "=") == 1 { print substr($0, length(k) + 2) }'; }

# hadoop_xml FILE: a Hadoop configuration file from key=value lines on stdin.
hadoop_xml() {
  local key value
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<!-- Written by DISCO on every run: edits here are lost. -->'
    echo '<configuration>'
    while IFS='=' read -r key value; do
      [ -n "$key" ] || continue
      value=${value//'&'/'&amp;'}; value=${value//'<'/'&lt;'}; value=${value//'>'/'&gt;'}
      printf '  <property><name>%s</name><value>%s</value></property>\n' "$key" "$value"
    done
    echo '</configuration>'
  } >"$1"
}

# Where HDFS and YARN keep data: the ephemeral disk when it is mounted. The first choice is
# kept (a reboot without /mnt must not move the NameNode to an empty, re-formatted dir).
hadoop_data_root() {
  if [ -s /var/lib/hadoop/data-root ]; then cat /var/lib/hadoop/data-root
  elif mountpoint -q /mnt; then echo /mnt/hadoop
  else echo /var/lib/hadoop; fi
}

# This node's address on the cluster network (the source address towards the master).
hadoop_node_ip() {
  local ip
  ip=$(ip -o route get "$DISCO_MASTER_IP" 2>/dev/null | sed -n 's/.* src \([^ ]*\).*/\1/p')
  if [ -z "$ip" ]; then ip=$(hostname -I | awk '{print $1}'); fi
  echo "$ip"
}

# The JDK every Hadoop, Spark and Zeppelin process runs on: the one Hadoop was installed with,
# written into their env files (a user's package that pulls in a newer JRE moves
# /usr/bin/java, never them).
hadoop_jdk_package() { echo openjdk-17-jre-headless; }
# hadoop_java_home: that JDK's home, from its package's own file list (HADOOP_JAVA_HOME when
# set: the config writers' tests)
hadoop_java_home() {
  local java
  if [ -n "${HADOOP_JAVA_HOME:-}" ]; then echo "$HADOOP_JAVA_HOME"; return 0; fi
  java=$(dpkg -L "$(hadoop_jdk_package)" 2>/dev/null | grep -m1 -E '^/usr/lib/jvm/[A-Za-z0-9._+-]+/bin/java$' || true)
  if [ -z "$java" ]; then echo "hadoop: the package $(hadoop_jdk_package) installed no /usr/lib/jvm/*/bin/java" >&2; return 1; fi
  echo "${java%/bin/java}"
}

# hadoop_write_config CONF_DIR [DATA_ROOT] [NODE_IP]: core-, hdfs-, yarn-, mapred-site.xml and
# hadoop-env.sh (JAVA_HOME fixed to hadoop_java_home) from the DISCO_* environment. The same on every node (workers join by the
# master's address, no worker list) but for yarn.nodemanager.hostname, the node's own address
# so that YARN works with or without host names that resolve.
hadoop_write_config() {
  local conf=$1 data=${2:-} ip=${3:-} m sizing opens='--add-opens=java.base/java.lang=ALL-UNNAMED' java
  hadoop_require DISCO_MASTER_IP DISCO_HADOOP_REPLICATION DISCO_HADOOP_RESERVED_DISK_GB DISCO_WORKER_RAM_MB DISCO_WORKER_VCPUS || return 1
  java=$(hadoop_java_home) || return 1
  m=$DISCO_MASTER_IP
  if [ -z "$data" ]; then data=$(hadoop_data_root); fi
  if [ -z "$ip" ]; then ip=$(hadoop_node_ip); fi
  # YARN from the WORKER flavor everywhere: the ResourceManager's maximum allocation must
  # match the NodeManagers. Disks 0: a VM's one virtual disk is no spindle count to bound by.
  sizing=$(hadoop_yarn_sizing "$DISCO_WORKER_RAM_MB" "$DISCO_WORKER_VCPUS" 0) || return 1
  mkdir -p "$conf"
  hadoop_xml "$conf/core-site.xml" <<EOF
fs.defaultFS=hdfs://$m:8020
hadoop.tmp.dir=$data/tmp
EOF
  # the workers being drained (drain.sh); kept across re-runs
  [ -e "$conf/dfs.exclude" ] || : >"$conf/dfs.exclude"
  [ -e "$conf/yarn.exclude" ] || : >"$conf/yarn.exclude"
  hadoop_xml "$conf/hdfs-site.xml" <<EOF
dfs.replication=$DISCO_HADOOP_REPLICATION
dfs.datanode.du.reserved=$((DISCO_HADOOP_RESERVED_DISK_GB * 1024 * 1024 * 1024))
dfs.namenode.name.dir=file://$data/hdfs/name
dfs.datanode.data.dir=file://$data/hdfs/data
dfs.namenode.rpc-bind-host=0.0.0.0
dfs.namenode.http-bind-host=0.0.0.0
dfs.namenode.datanode.registration.ip-hostname-check=false
dfs.hosts.exclude=$conf/dfs.exclude
EOF
  # vmem check off: Java 17 maps far more virtual memory than the 2.1 x heap YARN allows.
  { grep -E '^yarn\.(nodemanager|scheduler)\.' <<<"$sizing"
    cat <<EOF
yarn.resourcemanager.hostname=$m
yarn.resourcemanager.nodes.exclude-path=$conf/yarn.exclude
yarn.resourcemanager.bind-host=0.0.0.0
yarn.nodemanager.hostname=$ip
yarn.nodemanager.bind-host=0.0.0.0
yarn.nodemanager.local-dirs=$data/yarn/local
yarn.nodemanager.log-dirs=$data/yarn/logs
yarn.nodemanager.aux-services=mapreduce_shuffle
yarn.nodemanager.env-whitelist=JAVA_HOME,HADOOP_COMMON_HOME,HADOOP_HDFS_HOME,HADOOP_CONF_DIR,CLASSPATH_PREPEND_DISTCACHE,HADOOP_YARN_HOME,HADOOP_HOME,PATH,LANG,TZ,HADOOP_MAPRED_HOME
yarn.nodemanager.vmem-check-enabled=false
yarn.log-aggregation-enable=true
yarn.log.server.url=http://$m:19888/jobhistory/logs
EOF
  } | hadoop_xml "$conf/yarn-site.xml"
  # Hadoop 3.3 predates MAPREDUCE-7449: MR JVMs on Java 17 need java.lang opened.
  { grep -E '^(mapreduce\.|yarn\.app\.mapreduce\.)' <<<"$sizing" | sed -E "/(java\.opts|command-opts)=/ s|\$| $opens|"
    cat <<EOF
mapreduce.framework.name=yarn
mapreduce.jobhistory.address=$m:10020
mapreduce.jobhistory.webapp.address=$m:19888
mapreduce.jobhistory.bind-host=0.0.0.0
yarn.app.mapreduce.am.env=HADOOP_MAPRED_HOME=/opt/hadoop
mapreduce.map.env=HADOOP_MAPRED_HOME=/opt/hadoop
mapreduce.reduce.env=HADOOP_MAPRED_HOME=/opt/hadoop
EOF
  } | hadoop_xml "$conf/mapred-site.xml"
  # Read by every hadoop/hdfs/yarn/mapred command. The daemons' web apps (Guice) need
  # java.lang opened on Java 17 (Hadoop 3.3 supports 8 and 11 only).
  {
    echo "# Written by the DISCO hadoop framework on every run: edits here are lost."
    echo "export JAVA_HOME=$java"
    cat <<'EOF'
export HADOOP_OS_TYPE=${HADOOP_OS_TYPE:-$(uname -s)}
export HADOOP_LOG_DIR=/var/log/hadoop
export HADOOP_OPTS="${HADOOP_OPTS:-} --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
EOF
  } >"$conf/hadoop-env.sh"
}

# hadoop_unpack ARTIFACT DIR: the release tarball (an artifact of the manifest: disco_artifact
# checks it), unpacked into DIR once (into DIR.partial first, so an interrupted run starts
# over rather than using half a tree).
hadoop_unpack() {
  local artifact=$1 dir=$2
  if [ -d "$dir" ]; then return 0; fi
  rm -rf "$dir.partial" "$dir.download"
  mkdir -p "$dir.partial"
  disco_artifact "$artifact" "$dir.download"
  tar -xzf "$dir.download" -C "$dir.partial" --strip-components=1 --no-same-owner
  rm -f "$dir.download"
  mv "$dir.partial" "$dir"
}

# hadoop_system_user NAME HOME [GROUP...]: a system user (and its group) unless it exists.
hadoop_system_user() {
  local name=$1 home=$2
  shift 2
  getent group "$name" >/dev/null || groupadd --system "$name"
  id -u "$name" >/dev/null 2>&1 || useradd --system --gid "$name" --home-dir "$home" --no-create-home --shell /usr/sbin/nologin "$name"
  if [ $# -gt 0 ]; then usermod -a -G "$(IFS=,; echo "$*")" "$name"; fi
  mkdir -p "$home"
  chown "$name:$name" "$home"
}

# hadoop_unit NAME DESCRIPTION USER COMMAND...: /etc/systemd/system/NAME.service.
hadoop_unit() {
  local name=$1 description=$2 user=$3
  shift 3
  cat >"/etc/systemd/system/$name.service" <<EOF
# Written by DISCO on every run.
[Unit]
Description=$description
After=network-online.target
Wants=network-online.target
RequiresMountsFor=$(hadoop_data_root)

[Service]
User=$user
Group=$user
ExecStart=$*
Restart=on-failure
RestartSec=10
# a JVM stopped by SIGTERM exits 143
SuccessExitStatus=143
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
EOF
}

# hadoop_service_up UNIT FILE...: enable and start UNIT; restart it when its unit or one of
# the FILEs (its configuration) changed since this function last started it.
hadoop_service_up() {
  local unit=$1 digest state=/var/lib/hadoop/unit-state/$1
  shift
  digest=$(cat "/etc/systemd/system/$unit.service" "$@" | sha256sum | cut -d' ' -f1)
  mkdir -p /var/lib/hadoop/unit-state
  systemctl daemon-reload
  systemctl enable "$unit"
  if [ -f "$state" ] && [ "$(cat "$state")" = "$digest" ]; then systemctl start "$unit"
  else systemctl restart "$unit"; fi
  echo "$digest" >"$state"
}

# hadoop_check TIMEOUT_S UNIT WHAT COMMAND...: wait until COMMAND succeeds; else print UNIT's
# last log lines and fail, so the node's FAILURE signal says why.
hadoop_check() {
  local timeout deadline unit=$2 what=$3
  timeout=$1
  # bootstrap's lib (always present on a node) caps it by the install timeout
  if declare -F disco_wait_cap >/dev/null; then timeout=$(disco_wait_cap "$1"); fi
  deadline=$((SECONDS + timeout))
  shift 3
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      journalctl -u "$unit" -n 15 --no-pager -o cat 2>/dev/null || true
      echo "ERROR: $what: not ready after ${timeout}s (unit $unit; check: $*)" >&2
      return 1
    fi
    sleep 5
  done
  echo "$what: ready"
}

# hadoop_hdfs ARGS...: the hdfs command as the HDFS superuser.
hadoop_hdfs() { runuser -u hadoop -- /opt/hadoop/bin/hdfs "$@"; }

hadoop_safemode_off() { hadoop_hdfs dfsadmin -safemode get 2>/dev/null | grep 'Safe mode is OFF' >/dev/null; }

# hadoop_wait_hdfs TIMEOUT_S: until the NameNode answers and has left safe mode (after a
# reboot it waits for the DataNodes' block reports).
hadoop_wait_hdfs() { hadoop_check "$1" hadoop-namenode "HDFS (out of safe mode)" hadoop_safemode_off; }

# hadoop_member KIND IP < JSON: whether the master counts the node at IP as a member, from
# what it serves: hdfs, the NameNode's NameNodeInfo JMX bean (LiveNodes, a JSON string keyed
# by host:port, each with its xferaddr "ip:port"); yarn, the ResourceManager's
# /ws/v1/cluster/nodes?states=RUNNING (nodeHostName is the node's address: yarn-site.xml).
hadoop_member() {
  python3 -c '
import json, sys
kind, ip = sys.argv[1:3]
doc = json.load(sys.stdin)
if kind == "hdfs":
    live = json.loads(doc["beans"][0]["LiveNodes"])
    ok = any(v.get("xferaddr", "").rsplit(":", 1)[0] == ip for v in live.values())
else:
    nodes = ((doc.get("nodes") or {}).get("node")) or []
    ok = any(n.get("nodeHostName") == ip and n.get("state") == "RUNNING" for n in nodes)
sys.exit(0 if ok else 1)
' "$1" "$2"
}

# hadoop_joined KIND IP: the master lists this node: HDFS among its live DataNodes, YARN among
# its RUNNING NodeManagers (a worker's section ends only then: ready means joined).
hadoop_joined() {
  local url
  case "$1" in
    hdfs) url="http://$DISCO_MASTER_IP:9870/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo" ;;
    yarn) url="http://$DISCO_MASTER_IP:8088/ws/v1/cluster/nodes?states=RUNNING" ;;
    *) echo "hadoop_joined: hdfs or yarn, not '$1'" >&2; return 2 ;;
  esac
  curl -sf --max-time 10 "$url" | hadoop_member "$1" "$2"
}

# hadoop_http_ok URL: the URL answers 2xx.
hadoop_http_ok() { curl -sf -o /dev/null --max-time 10 "$1"; }
