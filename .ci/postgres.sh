#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages if needed, starts a throw-away cluster on 127.0.0.1 (no systemd needed),
# and prints the line to eval:  eval "$(.ci/postgres.sh)"  → SESSIONBOT_TEST_POSTGRES is set. Idempotent: on a
# machine where the cluster already exists and runs, it only makes sure of the role and the database.
#
# The tests connect as the login role `sessionbot`, not as the superuser: it owns the database `sessionbot_test`
# (so it creates the schema there, as the app does in production) and may create databases (CREATEDB), which the
# tests that need a fresh or a read-only database of their own use. It has no other rights.
set -euo pipefail
PORT=${SESSIONBOT_PG_PORT:-54329}
DATA=${SESSIONBOT_PG_DATA:-/var/tmp/sessionbot-pg}
SUPERUSER_PASSWORD=sessionbot-test
ROLE=sessionbot
ROLE_PASSWORD=sessionbot-app-test
DATABASE=sessionbot_test

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing PostgreSQL…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_root() { [ "$(id -u)" = 0 ]; }
run_as_postgres() { if as_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  as_root && chown postgres:postgres "$DATA"
  # The superuser's password, readable by initdb's user only (mktemp makes it 0600).
  pwfile=$(mktemp)
  trap 'rm -f "$pwfile"' EXIT
  as_root && chown postgres:postgres "$pwfile"
  chmod 600 "$pwfile"
  echo "$SUPERUSER_PASSWORD" > "$pwfile"
  run_as_postgres "$BIN/initdb" -D "$DATA" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" >&2
  rm -f "$pwfile"
  trap - EXIT
fi
if ! run_as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  if ! run_as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DATA -c fsync=off" start >&2; then
    echo "PostgreSQL did not start; its log ($DATA/server.log):" >&2
    cat "$DATA/server.log" >&2 || true
    exit 1
  fi
fi

superuser() { PGPASSWORD=$SUPERUSER_PASSWORD psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"; }
if [ "$(superuser -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
  superuser -c "CREATE ROLE $ROLE LOGIN" >&2
fi
# Every run: the password and the rights are what this script says, whatever the role had before.
superuser -c "ALTER ROLE $ROLE WITH LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$ROLE_PASSWORD'" >&2
if [ "$(superuser -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
  superuser -c "CREATE DATABASE $DATABASE OWNER $ROLE" >&2
else
  # A cluster made by an earlier version of this script has the database owned by the superuser.
  superuser -c "ALTER DATABASE $DATABASE OWNER TO $ROLE" >&2
fi
echo "export SESSIONBOT_TEST_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=$ROLE;Password=$ROLE_PASSWORD;Database=$DATABASE'"
