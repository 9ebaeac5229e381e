# shellcheck shell=bash
# MariaDB on 127.0.0.1:3306 for every service (Keystone on SQLite fails with
# "database is locked" on its first POST /v3/roles).
put_file /etc/mysql/mariadb.conf.d/99-disco-local-cloud.cnf root:root 644 mariadb <<EOC
# written by scripts/local-cloud/up
[mysqld]
bind-address = 127.0.0.1
port = 3306
skip-name-resolve
performance_schema = OFF
innodb_buffer_pool_size = 128M
innodb_log_file_size = 32M
innodb_flush_log_at_trx_commit = 2
max_connections = 500
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
EOC
install -d -o mysql -g mysql -m 755 /run/mysqld
[ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >"$LOGDIR/mariadb-install-db.out" 2>&1 \
  || die "mariadb-install-db failed (see $LOGDIR/mariadb-install-db.out)"
start_daemon mariadb mysql /usr/sbin/mariadbd
for _ in $(seq 1 120); do mariadb -uroot -e 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
mariadb -uroot -e 'select 1' >/dev/null || die "mariadb did not come up (see $LOGDIR/mariadb.out)"

DB_PASSWORD=$(secret db)
# ensure_db DB USER — database DB, USER@127.0.0.1 with every right on it
ensure_db() {
  mariadb -uroot <<EOS
CREATE DATABASE IF NOT EXISTS \`$1\`;
CREATE USER IF NOT EXISTS '$2'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
ALTER USER '$2'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON \`$1\`.* TO '$2'@'127.0.0.1';
EOS
}
db_url() { echo "mysql+pymysql://$2:$DB_PASSWORD@127.0.0.1:3306/$1?charset=utf8"; }
# db_empty DB -> 0 when DB has no tables yet (needs its db_sync)
db_empty() { [ "$(mariadb -uroot -N -e "select count(*) from information_schema.tables where table_schema='$1'")" = 0 ]; }
