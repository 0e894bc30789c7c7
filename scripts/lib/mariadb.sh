# Starts Debian's MariaDB if it is not running (remembering that we did), and stops it again.
MARIADB_STARTED_BY_US=0

mariadb_start() {
  if mariadb-admin ping >/dev/null 2>&1; then return 0; fi
  echo "[mariadb] starting"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  MARIADB_STARTED_BY_US=1
  for _ in $(seq 1 60); do mariadb-admin ping >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "[mariadb] did not come up" >&2; return 1
}

# Creates the application user used over TCP (root only works over the unix socket).
mariadb_ensure_user() {
  local user=$1 password=$2
  mariadb -e "CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$password';
              CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$password';
              GRANT ALL ON *.* TO '$user'@'localhost'; GRANT ALL ON *.* TO '$user'@'127.0.0.1'; FLUSH PRIVILEGES;"
}

mariadb_stop_if_started() {
  if [ "$MARIADB_STARTED_BY_US" = 1 ]; then
    echo "[mariadb] stopping"
    mariadb-admin shutdown >/dev/null 2>&1 || true
    MARIADB_STARTED_BY_US=0
  fi
}
