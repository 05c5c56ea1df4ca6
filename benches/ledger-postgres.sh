#!/usr/bin/env bash
# Measures the ledger on PostgreSQL over loopback TCP: starts a throwaway server (default
# settings, fsync on) in a temporary folder on a free port of 127.0.0.1, runs the ledger bench
# against it, and stops and removes the server again. As root the server runs as `postgres`.
#
#   benches/ledger-postgres.sh [extra criterion arguments, e.g. ledger/]
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
    exit 2
fi
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi

dir=$(mktemp -d /tmp/factuur-pg-bench.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
    "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" stop -m fast >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT

"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >/dev/null
"${as_pg[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc 'CREATE DATABASE bench' >/dev/null

FACTUUR_BENCH_PG="postgresql://postgres@127.0.0.1:$port/bench" \
    cargo bench --bench ledger --features ledger -- "$@"
