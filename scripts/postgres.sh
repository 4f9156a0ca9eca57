#!/usr/bin/env bash
# Throwaway PostgreSQL 15 for tests: free port, temp dir, stopped by pg_stop (also on failure, via the caller's trap).
# PostgreSQL refuses to run as root, so the server runs as the `postgres` user when we are root.
pg_start() {
  PG_DIR=$(mktemp -d /tmp/gitops-pg.XXXXXX)
  PG_PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_DIR"; as=(runuser -u postgres --)
  fi
  "${as[@]}" initdb -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log"; return 1; }
  "${as[@]}" pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null || {
    cat "$PG_DIR/server.log"; return 1; }
  PG_AS=("${as[@]}")
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres:postgres@127.0.0.1:$PG_PORT"
  echo "[test] PostgreSQL 15 on 127.0.0.1:$PG_PORT ($PG_DIR)"
}
pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  "${PG_AS[@]}" pg_ctl -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"; PG_DIR=
}
