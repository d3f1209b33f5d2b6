#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages if needed, starts a throw-away cluster on 127.0.0.1 (no systemd needed),
# and prints the line to eval:  eval "$(.ci/postgres.sh)"  → SESSIONBOT_TEST_POSTGRES is set. Idempotent.
set -euo pipefail
PORT=${SESSIONBOT_PG_PORT:-54329}
DATA=${SESSIONBOT_PG_DATA:-/var/tmp/sessionbot-pg}
PASSWORD=sessionbot-test

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing PostgreSQL…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
run_as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
  pwfile=$(mktemp); echo "$PASSWORD" > "$pwfile"; chmod 644 "$pwfile"
  run_as_postgres "$BIN/initdb" -D "$DATA" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" >&2
  rm -f "$pwfile"
fi
if ! run_as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  run_as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DATA -c fsync=off" start >&2
fi
export PGPASSWORD=$PASSWORD
if ! psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='sessionbot_test'" | grep -q 1; then
  psql -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE sessionbot_test" >&2
fi
echo "export SESSIONBOT_TEST_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=postgres;Password=$PASSWORD;Database=sessionbot_test'"
