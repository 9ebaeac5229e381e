#!/bin/bash
# Zeppelin on the master, as its own user (never root), on port 8070. Its Spark interpreter
# runs spark-submit from /opt/spark on YARN in client mode, as the zeppelin user, so that user
# gets an HDFS home for the applications' staging files.
hadoop_unpack zeppelin "/opt/zeppelin-$(zeppelin_version)"
ln -sfn "/opt/zeppelin-$(zeppelin_version)" /opt/zeppelin
hadoop_system_user zeppelin /var/lib/zeppelin
mkdir -p /var/lib/zeppelin/notebook /var/lib/zeppelin/run /var/log/zeppelin
zeppelin_write_config /opt/zeppelin/conf
# Zeppelin writes its interpreter settings, local repo and downloads into its install
chown -R zeppelin:zeppelin "/opt/zeppelin-$(zeppelin_version)" /var/lib/zeppelin /var/log/zeppelin
hadoop_wait_hdfs 600
hadoop_hdfs dfs -mkdir -p /user/zeppelin
hadoop_hdfs dfs -chown zeppelin:zeppelin /user/zeppelin
hadoop_unit zeppelin "Apache Zeppelin (DISCO)" zeppelin /opt/zeppelin/bin/zeppelin.sh
hadoop_service_up zeppelin /opt/zeppelin/conf/zeppelin-env.sh /opt/zeppelin/conf/zeppelin-site.xml
hadoop_check 300 zeppelin "Zeppelin (:8070)" hadoop_http_ok http://127.0.0.1:8070/api/version
