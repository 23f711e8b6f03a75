#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests: everything it has lives in one folder, DIR.
#
#   scripts/pg-cluster.sh start DIR   creates DIR, initdb in DIR/data, starts the server with its
#                                     socket in DIR/socket (no TCP), creates database lianzhang and
#                                     prints the libpq connection string on stdout (nothing else)
#   scripts/pg-cluster.sh stop DIR    stops that server and removes DIR
#   scripts/pg-cluster.sh restart DIR restarts that server: every client's connection ends, as in
#                                     a DBA's restart or a failover
#
# The cluster is for tests only: fsync off, trust authentication on its Unix socket, which only
# the user running it (and root) can reach. `start` refuses a DIR that holds anything but an old
# cluster of this script (which it stops and removes first); `stop` refuses a DIR this script did
# not make. A caller traps `stop` so that a failing test leaves no server behind.
#
# PG_BINDIR overrides where initdb, pg_ctl and psql are (Debian's PostgreSQL 15 by default).
set -euo pipefail

PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
DB_NAME=lianzhang
DB_ROLE=lianzhang
MARKER=.lianzhang-pg-cluster
# initdb and postgres refuse to run as root. As root the server runs as a system user of its own:
# not `nobody`, which other daemons share (anything running as nobody could then read or kill the
# cluster), and not Debian's `postgres`, which owns the machine's real clusters; a dedicated user
# with no login and no home owns nothing but these throwaway folders.
RUN_USER=lianzhang-pg

die() {
  echo "pg-cluster: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start|stop|restart DIR" >&2
  exit 2
}

# Runs a command as the user that owns the cluster.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$RUN_USER" -- "$@"
  else
    "$@"
  fi
}

ensure_run_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  getent passwd "$RUN_USER" >/dev/null && return 0
  command -v useradd >/dev/null || die "running as root needs useradd to create the system user $RUN_USER"
  # Two starts at once may both try: the loser's failure is fine if the user exists afterwards.
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
    --user-group "$RUN_USER" 2>/dev/null || getent passwd "$RUN_USER" >/dev/null ||
    die "could not create the system user $RUN_USER"
}

# Whether process pid still runs (a zombie, dead but not yet reaped by its parent, does not).
running() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Stops the server of DIR if one runs (by its own postmaster.pid) and removes DIR.
stop_cluster() {
  local dir=$1 pid=
  [ -e "$dir" ] || return 0
  [ -f "$dir/$MARKER" ] || die "$dir was not made by this script; not removing it"
  [ -f "$dir/data/postmaster.pid" ] && pid=$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then
    as_owner "$PG_BINDIR/pg_ctl" stop -D "$dir/data" -m fast -w -t 30 >/dev/null 2>&1 || true
    # pg_ctl failed (a damaged data folder, say): end the postmaster it recorded, if still alive.
    if running "$pid"; then
      kill -QUIT "$pid" 2>/dev/null || true
      for _ in $(seq 50); do running "$pid" || break; sleep 0.1; done
      ! running "$pid" || die "the server of $dir (pid $pid) did not stop"
    fi
    # The postmaster's parent is init (pg_ctl has exited): give it a moment to reap the process so
    # that nothing of the cluster is left in the process table when stop returns.
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
}

start_cluster() {
  local dir=$1
  [ -x "$PG_BINDIR/initdb" ] || die "no $PG_BINDIR/initdb: install postgresql-15 (scripts/deps.sh)"
  if [ -f "$dir/$MARKER" ]; then
    stop_cluster "$dir" # a cluster left by an earlier run: start from a clean state
  elif [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    die "$dir exists and is not empty"
  fi
  dir=$(realpath -m "$dir")
  local sock="$dir/socket"
  # The socket's path must fit sun_path (107 bytes): DIR/socket/.s.PGSQL.5432
  [ ${#sock} -le 90 ] || die "$dir is too long a path for a Unix socket; use a shorter one (mktemp -d)"
  mkdir -p "$dir"
  touch "$dir/$MARKER"
  trap 'stop_cluster "$dir" || true' EXIT
  trap 'exit 130' INT TERM # a start cut short by a signal cleans up through the EXIT trap too
  ensure_run_user
  mkdir -p "$dir/data" "$sock"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R "$RUN_USER:" "$dir/data" "$sock" "$dir"
    chown root: "$dir/$MARKER"
    as_owner test -x "$dir" || die "$RUN_USER cannot reach $dir: a folder above it is closed to other users"
  fi
  chmod 700 "$dir" "$dir/data" "$sock"
  as_owner "$PG_BINDIR/initdb" -D "$dir/data" -U "$DB_ROLE" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  }
  cat >>"$dir/data/postgresql.conf" <<EOF
# throwaway test cluster (scripts/pg-cluster.sh)
listen_addresses = ''
unix_socket_directories = '$sock'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  as_owner "$PG_BINDIR/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 >/dev/null || {
    cat "$dir/server.log" >&2
    die "the server did not start"
  }
  "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "host=$sock dbname=postgres user=$DB_ROLE" \
    -c "CREATE DATABASE $DB_NAME" >/dev/null || die "could not create database $DB_NAME"
  trap - EXIT INT TERM
  echo "host=$sock dbname=$DB_NAME user=$DB_ROLE"
}

# Restarts the server of DIR, a cluster this script started.
restart_cluster() {
  local dir=$1
  [ -e "$dir/$MARKER" ] || die "$dir is not a cluster of this script"
  as_owner "$PG_BINDIR/pg_ctl" restart -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 >/dev/null ||
    die "the server did not restart"
}

[ $# -eq 2 ] || usage
case "$1" in
start) start_cluster "$2" ;;
stop) stop_cluster "$2" ;;
restart) restart_cluster "$2" ;;
*) usage ;;
esac
