#!/bin/bash
# Hadoop on every node: the JDK, the release under /opt, the hadoop user, the data dirs on
# the ephemeral disk, and the configuration. The role scripts start the daemons.
disco_apt_install "$(hadoop_jdk_package)"
hadoop_unpack hadoop "/opt/hadoop-$(hadoop_version)"
ln -sfn "/opt/hadoop-$(hadoop_version)" /opt/hadoop
hadoop_system_user hadoop /var/lib/hadoop
# pin the data root chosen on the first run (see hadoop_data_root)
if [ ! -s /var/lib/hadoop/data-root ]; then hadoop_data_root >/var/lib/hadoop/data-root; fi
echo "hadoop: data in $(hadoop_data_root), Java from $(hadoop_java_home)"
for hadoop_dir in tmp hdfs/name hdfs/data yarn/local yarn/logs; do
  mkdir -p "$(hadoop_data_root)/$hadoop_dir"
  chown hadoop:hadoop "$(hadoop_data_root)/$hadoop_dir"
done
mkdir -p /var/log/hadoop
chown hadoop:hadoop /var/log/hadoop "$(hadoop_data_root)"
hadoop_write_config /opt/hadoop/etc/hadoop
# for people logged in on the node
cat >/etc/profile.d/hadoop.sh <<'PROFILE'
export HADOOP_HOME=/opt/hadoop HADOOP_CONF_DIR=/opt/hadoop/etc/hadoop
case ":$PATH:" in *:/opt/hadoop/bin:*) ;; *) PATH=$PATH:/opt/hadoop/bin ;; esac
PROFILE
