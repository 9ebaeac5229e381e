#!/bin/bash
# Spark's functions, pasted at the top level of every node script after hadoop's (whose
# functions they use) and sourced by the tests. Definitions only.

# The release; the manifest's version (a test keeps the two equal).
spark_version() { echo "${DISCO_SPARK_VERSION:-3.5.1}"; }

# spark_yarn_sizing RAM_MB VCPUS DISKS: executor and client-mode ApplicationMaster sizes that
# fit the YARN containers hadoop_yarn_sizing makes for that worker flavor (same arguments, so
# DISKS 0 for a VM's virtual disk, as hadoop_write_config passes), as key=value lines.
# Pure. Spark's defaults (1 GB + 384 MB per executor) fit no container of a 2 GB worker, and
# waste most of each container on big ones (YARN rounds a request up to a multiple of the
# minimum allocation, which is one container). The rules:
# - an executor container is one YARN container, or as many as make >= 1024 MB (an executor
#   needs a 450 MB heap, Spark's floor, plus overhead), capped at the NodeManager's memory;
# - overhead = max(384, container/10) MB, heap = container - overhead;
# - cores = max(1, vcores / executors per node);
# - the client-mode AM keeps Spark's 512 MB + 384 MB when one container holds that, else it
#   shrinks to one container (container - 128 MB heap, 128 MB overhead).
spark_yarn_sizing() {
  local yarn rpc nm cores container overhead per_node
  yarn=$(hadoop_yarn_sizing "$@") || return 1
  rpc=$(hadoop_value ram_per_container_mb <<<"$yarn")
  nm=$(hadoop_value yarn.nodemanager.resource.memory-mb <<<"$yarn")
  cores=$(hadoop_value yarn.nodemanager.resource.cpu-vcores <<<"$yarn")
  container=$rpc
  while [ "$container" -lt 1024 ] && [ $((container + rpc)) -le "$nm" ]; do container=$((container + rpc)); done
  overhead=$((container / 10 > 384 ? container / 10 : 384))
  per_node=$((nm / container))
  printf '%s\n' "executor_container_mb=$container" "executors_per_node=$per_node" \
    "spark.executor.memory=$((container - overhead))m" "spark.executor.memoryOverhead=${overhead}m" \
    "spark.executor.cores=$((cores / per_node > 1 ? cores / per_node : 1))"
  if [ "$rpc" -ge 896 ]; then
    printf '%s\n' "spark.yarn.am.memory=512m" "spark.yarn.am.memoryOverhead=384m"
  else
    printf '%s\n' "spark.yarn.am.memory=$((rpc - 128))m" "spark.yarn.am.memoryOverhead=128m"
  fi
}

# spark_write_config CONF_DIR: spark-defaults.conf and spark-env.sh from the DISCO_*
# environment (JAVA_HOME: Hadoop's JDK, hadoop_java_home): Spark on YARN in client mode (drivers run on the master), event logs in HDFS
# for the history server, executors sized from the worker flavor.
spark_write_config() {
  local conf=$1 sizing heap m java
  hadoop_require DISCO_MASTER_IP DISCO_WORKER_RAM_MB DISCO_WORKER_VCPUS || return 1
  java=$(hadoop_java_home) || return 1
  m=$DISCO_MASTER_IP
  # Disks 0 as in hadoop_write_config, or these executors would not match its YARN containers.
  sizing=$(spark_yarn_sizing "$DISCO_WORKER_RAM_MB" "$DISCO_WORKER_VCPUS" 0) || return 1
  heap=$(hadoop_value spark.executor.memory <<<"$sizing")
  if [ "${heap%m}" -lt 450 ]; then
    echo "spark: workers of ${DISCO_WORKER_RAM_MB} MB leave executors a ${heap} heap, Spark needs 450m: use workers with 2 GB or more" >&2
    return 1
  fi
  mkdir -p "$conf"
  {
    echo "# Written by the DISCO spark framework on every run: edits here are lost."
    grep '^spark\.' <<<"$sizing" | sed 's/=/ /'
    printf '%s\n' "spark.master yarn" "spark.submit.deployMode client" "spark.eventLog.enabled true" \
      "spark.eventLog.dir hdfs:///spark-logs" "spark.history.fs.logDirectory hdfs:///spark-logs" \
      "spark.history.ui.port 18080" "spark.yarn.historyServer.address $m:18080"
  } >"$conf/spark-defaults.conf"
  # SPARK_LOCAL_IP: drivers run on the master and executors connect back to this address
  printf '%s\n' "# Written by the DISCO spark framework on every run: edits here are lost." \
    "export JAVA_HOME=$java" \
    "export HADOOP_CONF_DIR=/opt/hadoop/etc/hadoop" "export YARN_CONF_DIR=/opt/hadoop/etc/hadoop" \
    "export SPARK_LOCAL_IP=$m" "export SPARK_LOG_DIR=/var/log/spark" >"$conf/spark-env.sh"
}
