#!/bin/bash
# Spark on YARN, on the master only. Workers need no Spark: YARN ships Spark's jars with each
# application, and no external shuffle service is used (that would need the spark_shuffle
# aux-service and its jar in every NodeManager, for dynamic allocation, which stays off).
hadoop_unpack spark "/opt/spark-$(spark_version)"
ln -sfn "/opt/spark-$(spark_version)" /opt/spark
# the history server's user; in group hadoop to read the event logs (mode 770, group hadoop)
hadoop_system_user spark /var/lib/spark hadoop
mkdir -p /var/log/spark
chown spark:spark /var/log/spark
spark_write_config /opt/spark/conf
cat >/etc/profile.d/spark.sh <<'PROFILE'
export SPARK_HOME=/opt/spark
case ":$PATH:" in *:/opt/spark/bin:*) ;; *) PATH=$PATH:/opt/spark/bin ;; esac
PROFILE
# event logs: every user's applications write there (sticky, like /tmp)
hadoop_wait_hdfs 600
hadoop_hdfs dfs -mkdir -p /spark-logs
hadoop_hdfs dfs -chown hadoop:hadoop /spark-logs
hadoop_hdfs dfs -chmod 1777 /spark-logs
hadoop_unit spark-history-server "Spark history server (DISCO)" spark \
  /opt/spark/bin/spark-class org.apache.spark.deploy.history.HistoryServer
hadoop_service_up spark-history-server /opt/spark/conf/spark-defaults.conf /opt/spark/conf/spark-env.sh
# it listens on SPARK_LOCAL_IP, the master's address
hadoop_check 300 spark-history-server "Spark history server (:18080)" \
  hadoop_http_ok "http://$DISCO_MASTER_IP:18080/api/v1/version"
