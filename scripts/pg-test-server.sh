#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the tests and the benchmark, in a temp folder.
#
#   eval "$(bash scripts/pg-test-server.sh start)"   # exports DUNNING_TEST_PG and PG_TEST_DIR
#   bash scripts/pg-test-server.sh stop "$PG_TEST_DIR"
#   PG_TEST_SERVER_OPTIONS="-c shared_buffers=1GB"   # more server settings, e.g. for the benchmark
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user (made by
# Debian's package) or, without one, to a user made here. Connections over TCP need the password in
# the URL (scram-sha-256), so a test of a wrong password means something; durability is off
# (fsync=off): nothing in a throwaway cluster must survive a crash.
set -euo pipefail

pg_bin() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  local found
  found=$(ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$found" ]; then
    echo "pg-test-server: $1 not found; install PostgreSQL (apt-get install -y postgresql)" >&2
    exit 1
  fi
  echo "$found"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
  runuser -u "$OWNER" -- "$@"
}

pick_owner() {
  if [ "$(id -u)" -ne 0 ]; then OWNER=$(id -un); return; fi
  if id postgres >/dev/null 2>&1; then OWNER=postgres; return; fi
  id dunningpg >/dev/null 2>&1 || useradd --system --no-create-home dunningpg
  OWNER=dunningpg
}

free_port() {
  node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local initdb pg_ctl dir port password
  initdb=$(pg_bin initdb)
  pg_ctl=$(pg_bin pg_ctl)
  pick_owner
  dir=$(mktemp -d /tmp/dunning-pg.XXXXXX)
  chmod 755 "$dir"
  password="dunning-test-$RANDOM$RANDOM"
  printf '%s\n' "$password" > "$dir/pwfile"
  [ "$(id -u)" -ne 0 ] || chown -R "$OWNER" "$dir"
  as_owner "$initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  port=$(free_port)
  as_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c max_connections=200 ${PG_TEST_SERVER_OPTIONS:-}" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  echo "export DUNNING_TEST_PG='postgres://postgres:$password@127.0.0.1:$port/postgres'"
  echo "export PG_TEST_DIR='$dir'"
}

stop() {
  local dir=${1:?usage: pg-test-server.sh stop DIR}
  [ -d "$dir/data" ] || return 0
  pick_owner
  as_owner "$(pg_bin pg_ctl)" -D "$dir/data" -m immediate -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: pg-test-server.sh start | stop DIR" >&2; exit 2 ;;
esac
