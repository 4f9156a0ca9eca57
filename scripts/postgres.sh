#!/usr/bin/env bash
# Throwaway PostgreSQL 15 for tests: free port, temp dir, stopped by pg_stop (also on failure, via the caller's trap).
# Sourced: defines functions only and never changes the caller's shell options.
# The server binaries are taken from PATH, else `pg_config --bindir`, else /usr/lib/postgresql/*/bin
# (where Debian puts them; 15 preferred). PostgreSQL refuses to run as root, so the server runs as the
# `postgres` user when we are root.
pg_bindir() {
  local d
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"; return 0
  fi
  d=$(pg_config --bindir 2>/dev/null) && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}
pg_start() {
  local bin as=()
  bin=$(pg_bindir) || {
    echo "[test] PostgreSQL server binaries (initdb, pg_ctl) not found on PATH, in \`pg_config --bindir\` or /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql-15)"
    return 1; }
  PG_DIR=$(mktemp -d /tmp/gitops-pg.XXXXXX) || return 1
  PG_PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})") || return 1
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres || return 1
    chown postgres "$PG_DIR" || return 1
    as=(runuser -u postgres --)
  fi
  PG_AS=("${as[@]}" "$bin/pg_ctl")
  (cd "$PG_DIR" && "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8) >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log"; return 1; }
  (cd "$PG_DIR" && "${PG_AS[@]}" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start) >/dev/null || {
    cat "$PG_DIR/server.log"; return 1; }
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres:postgres@127.0.0.1:$PG_PORT"
  echo "[test] PostgreSQL on 127.0.0.1:$PG_PORT ($bin, $PG_DIR)"
}
pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  [ -n "${PG_AS:-}" ] && (cd / && "${PG_AS[@]}" -D "$PG_DIR/data" -m immediate -w stop) >/dev/null 2>&1
  rm -rf "$PG_DIR"; PG_DIR=
  unset BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
  return 0
}
