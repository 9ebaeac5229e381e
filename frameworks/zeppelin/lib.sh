#!/bin/bash
# Zeppelin's functions, pasted at the top level of every node script after hadoop's and
# spark's (whose functions they use) and sourced by the tests. Definitions only.

# The release; the manifest's version (a test keeps the two equal).
zeppelin_version() { echo "${DISCO_ZEPPELIN_VERSION:-0.11.1}"; }

# Zeppelin 0.11 is built for Java 8/11; on 17 its server and interpreters need these opened.
zeppelin_java_opens() {
  local p out=
  for p in java.lang java.lang.reflect java.io java.net java.nio java.util java.util.concurrent sun.nio.ch; do
    out+=" --add-opens=java.base/$p=ALL-UNNAMED"
  done
  echo "${out# }"
}

# zeppelin_write_config CONF_DIR: zeppelin-env.sh and zeppelin-site.xml from the DISCO_*
# environment (JAVA_HOME: Hadoop's JDK, hadoop_java_home): port 8070 on every address, Spark from /opt/spark on YARN (the spark
# interpreter's spark.master comes from SPARK_MASTER), notebooks and logs outside the install.
zeppelin_write_config() {
  local conf=$1 java
  java=$(hadoop_java_home) || return 1
  mkdir -p "$conf"
  # USE_HADOOP=false: Hadoop's jars stay out of the server (Spark brings its own)
  printf '%s\n' "# Written by the DISCO zeppelin framework on every run: edits here are lost." \
    "export JAVA_HOME=$java" "export ZEPPELIN_ADDR=0.0.0.0" "export ZEPPELIN_PORT=8070" \
    "export SPARK_HOME=/opt/spark" "export SPARK_MASTER=yarn" \
    "export HADOOP_CONF_DIR=/opt/hadoop/etc/hadoop" "export USE_HADOOP=false" \
    "export ZEPPELIN_LOG_DIR=/var/log/zeppelin" "export ZEPPELIN_PID_DIR=/var/lib/zeppelin/run" \
    "export ZEPPELIN_NOTEBOOK_DIR=/var/lib/zeppelin/notebook" \
    "export ZEPPELIN_JAVA_OPTS=\"$(zeppelin_java_opens)\"" \
    "export ZEPPELIN_INTP_JAVA_OPTS=\"$(zeppelin_java_opens)\"" >"$conf/zeppelin-env.sh"
  # the same address and port for anything reading the site file
  printf '%s\n' "zeppelin.server.addr=0.0.0.0" "zeppelin.server.port=8070" \
    "zeppelin.notebook.dir=/var/lib/zeppelin/notebook" | hadoop_xml "$conf/zeppelin-site.xml"
}
