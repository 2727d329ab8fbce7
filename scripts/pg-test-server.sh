#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (docs/testing.md):
#
#   pg-test-server.sh start DIR   initdb in DIR/data, start on a free loopback port, write the
#                                 URL to DIR/url and print `export KEYTURN_TEST_DATABASE_URL=...`
#   pg-test-server.sh stop DIR    stop it (DIR stays)
#   pg-test-server.sh pause DIR   stop it, keeping its data and port (tests of an outage)
#   pg-test-server.sh resume DIR  start it again after `pause`
#   pg-test-server.sh run CMD...  start one in a fresh directory, run CMD with
#                                 KEYTURN_TEST_DATABASE_URL and KEYTURN_TEST_PG_DIR set, then stop
#                                 it and remove the directory, whatever CMD's exit status (which
#                                 it returns)
#
# PostgreSQL refuses to run as root: as root the server runs as the unprivileged user
# `keyturn-test` (created when missing). When initdb is missing, Debian's `postgresql` package is
# installed (as root).
set -euo pipefail

PG_USER=keyturn-test

find_bin() {
    local name=$1 found
    found=$(command -v "$name" 2>/dev/null || true)
    if [ -z "$found" ]; then
        found=$(ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -1 || true)
    fi
    printf '%s' "$found"
}

ensure_postgres() {
    if [ -z "$(find_bin initdb)" ]; then
        if [ "$(id -u)" != 0 ]; then
            echo "pg-test-server: initdb not found; install PostgreSQL (Debian: apt-get install postgresql)" >&2
            exit 1
        fi
        apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    fi
    INITDB=$(find_bin initdb)
    PG_CTL=$(find_bin pg_ctl)
    [ -n "$INITDB" ] && [ -n "$PG_CTL" ] || { echo "pg-test-server: initdb/pg_ctl not found" >&2; exit 1; }
}

# Runs a command as the server's owner (root cannot own a cluster).
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$PG_USER" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

server_start() {
    local dir=$1 port=$2
    as_owner "$PG_CTL" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null
}

start() {
    local dir=$1
    ensure_postgres
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        id -u "$PG_USER" >/dev/null 2>&1 \
            || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
        chown "$PG_USER" "$dir"
        # The server's owner must reach the directory.
        local d=$dir
        while [ "$d" != / ]; do
            d=$(dirname "$d")
            [ -x "$d" ] || { echo "pg-test-server: $d is not searchable by $PG_USER; use a directory under /tmp" >&2; exit 1; }
        done
    fi
    as_owner "$INITDB" -D "$dir/data" -U keyturn --auth=trust -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    local port
    port=$(free_port)
    echo "$port" >"$dir/port"
    server_start "$dir" "$port" || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://keyturn@127.0.0.1:$port/postgres" >"$dir/url"
    echo "export KEYTURN_TEST_DATABASE_URL=$(cat "$dir/url")"
}

stop() {
    local dir=$1
    [ -f "$dir/data/postmaster.pid" ] || return 0
    ensure_postgres
    as_owner "$PG_CTL" -D "$dir/data" -m fast -w stop >/dev/null
}

resume() {
    local dir=$1
    ensure_postgres
    server_start "$dir" "$(cat "$dir/port")"
}

run() {
    local dir status=0
    dir=$(mktemp -d /tmp/keyturn-pg-XXXXXX)
    chmod 755 "$dir"
    # shellcheck disable=SC2064 # the directory is fixed now
    trap "'$0' stop '$dir' || true; rm -rf '$dir'" EXIT
    trap 'exit 130' INT TERM
    start "$dir" >/dev/null
    echo "pg-test-server: PostgreSQL for the tests at $(cat "$dir/url") (in $dir)"
    KEYTURN_TEST_DATABASE_URL=$(cat "$dir/url") KEYTURN_TEST_PG_DIR=$dir "$@" || status=$?
    return "$status"
}

case "${1:-}" in
    start) start "${2:?DIR}" ;;
    stop) stop "${2:?DIR}" ;;
    pause) stop "${2:?DIR}" ;;
    resume) resume "${2:?DIR}" ;;
    run) shift; run "$@" ;;
    *) echo "usage: $0 start DIR | stop DIR | pause DIR | resume DIR | run CMD..." >&2; exit 2 ;;
esac
