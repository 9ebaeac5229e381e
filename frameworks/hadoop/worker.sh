#!/bin/bash
# Hadoop on a worker: a DataNode and a NodeManager, joining the master by its address (they
# retry until the master's daemons are up). Success when both serve their HTTP endpoints and
# the master lists them: a live DataNode, a RUNNING NodeManager.
hadoop_unit hadoop-datanode "Hadoop HDFS DataNode (DISCO)" hadoop /opt/hadoop/bin/hdfs datanode
hadoop_unit hadoop-nodemanager "Hadoop YARN NodeManager (DISCO)" hadoop /opt/hadoop/bin/yarn nodemanager
hadoop_service_up hadoop-datanode /opt/hadoop/etc/hadoop/{core-site.xml,hdfs-site.xml,hadoop-env.sh}
hadoop_service_up hadoop-nodemanager /opt/hadoop/etc/hadoop/{core-site.xml,yarn-site.xml,mapred-site.xml,hadoop-env.sh}
hadoop_check 300 hadoop-datanode "DataNode (:9864)" hadoop_http_ok 'http://127.0.0.1:9864/jmx?qry=Hadoop:service=DataNode,name=DataNodeInfo'
hadoop_check 300 hadoop-nodemanager "NodeManager (:8042)" hadoop_http_ok http://127.0.0.1:8042/ws/v1/node/info
hadoop_check 600 hadoop-datanode "DataNode among the NameNode's live nodes" hadoop_joined hdfs "$(hadoop_node_ip)"
hadoop_check 600 hadoop-nodemanager "NodeManager RUNNING in the ResourceManager" hadoop_joined yarn "$(hadoop_node_ip)"
