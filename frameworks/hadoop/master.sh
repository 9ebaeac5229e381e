#!/bin/bash
# Hadoop on the master: the NameNode (formatted once, on the first run), the ResourceManager,
# then the JobHistory server once HDFS is writable (it keeps its files there). Success only
# when all three answer.
if [ ! -f "$(hadoop_data_root)/hdfs/name/current/VERSION" ]; then
  echo "hadoop: formatting the NameNode in $(hadoop_data_root)/hdfs/name"
  runuser -u hadoop -- /opt/hadoop/bin/hdfs namenode -format -nonInteractive
fi
hadoop_unit hadoop-namenode "Hadoop HDFS NameNode (DISCO)" hadoop /opt/hadoop/bin/hdfs namenode
hadoop_unit hadoop-resourcemanager "Hadoop YARN ResourceManager (DISCO)" hadoop /opt/hadoop/bin/yarn resourcemanager
hadoop_unit hadoop-historyserver "Hadoop MapReduce JobHistory server (DISCO)" hadoop /opt/hadoop/bin/mapred historyserver
hadoop_service_up hadoop-namenode /opt/hadoop/etc/hadoop/{core-site.xml,hdfs-site.xml,hadoop-env.sh}
hadoop_service_up hadoop-resourcemanager /opt/hadoop/etc/hadoop/{core-site.xml,yarn-site.xml,mapred-site.xml,hadoop-env.sh}
hadoop_wait_hdfs 600
hadoop_hdfs dfs -mkdir -p /tmp /user
hadoop_hdfs dfs -chmod 1777 /tmp
# HDFS homes for the people who log in (the image's default user): Spark stages files there
for hadoop_user in $(getent passwd | awk -F: '$3 >= 1000 && $3 < 60000 { print $1 }'); do
  hadoop_hdfs dfs -mkdir -p "/user/$hadoop_user"
  hadoop_hdfs dfs -chown "$hadoop_user" "/user/$hadoop_user"
done
hadoop_service_up hadoop-historyserver /opt/hadoop/etc/hadoop/{core-site.xml,yarn-site.xml,mapred-site.xml,hadoop-env.sh}
hadoop_check 300 hadoop-namenode "NameNode (hdfs dfsadmin -report)" hadoop_hdfs dfsadmin -report
hadoop_check 300 hadoop-resourcemanager "ResourceManager (:8088)" hadoop_http_ok http://127.0.0.1:8088/ws/v1/cluster/info
hadoop_check 300 hadoop-historyserver "JobHistory server (:19888)" hadoop_http_ok http://127.0.0.1:19888/ws/v1/history/info
echo "hadoop: $(hadoop_hdfs dfsadmin -report 2>/dev/null | sed -n 's/^Live datanodes (\([0-9]*\)).*/\1/p') live DataNodes so far (workers join as they come up)"
