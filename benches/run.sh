#!/usr/bin/env bash
# The invoice run bench: N ten-line drafts (default 10,000) → a production run of a profile
# that makes SI-UBL XML and PDF, on the embedded SQLite ledger, into one ZIP; the per-stage
# split from `factuur run --json`, the wall time and the peak memory (GNU time), for N and for
# N/10 (memory must not grow with the run). Then, with `--postgres`, the same run on a
# throwaway PostgreSQL server on this machine, alone and with two `factuur run work` helpers
# (three workers).
#
#   benches/run.sh [N] [--postgres] [--validate]
#
# `--validate` keeps the profile's check of every XML against the official SI-UBL rules (the
# demo profile's default); without it the bench measures XML + PDF + ZIP alone.
set -euo pipefail
cd "$(dirname "$0")/.."

n=10000
postgres=0
validate=false
for a in "$@"; do
    case "$a" in
        --postgres) postgres=1 ;;
        --validate) validate=true ;;
        *) n="$a" ;;
    esac
done

cargo build --quiet --release --features cli --bin factuur --example gen_drafts
bin=target/release/factuur
work=$(mktemp -d /tmp/factuur-run-bench.XXXXXX)
pgdir=""
cleanup() {
    if [ -n "$pgdir" ]; then
        "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" stop -m fast >/dev/null 2>&1 || true
        rm -rf "$pgdir"
    fi
    rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/factuur.toml" <<EOF
[profiles.bench]
series = "bench"
outputs = ["siubl", "pdf"]
validate = $validate
EOF

timed() { # label, then the command; prints wall seconds, peak RSS and the run's stage split
    local label=$1
    shift
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >"$work/out.json"
    read -r wall rss user sys <"$work/time"
    python3 - "$label" "$wall" "$rss" "$work/out.json" "$user" "$sys" <<'PY'
import json, sys
label, wall, rss, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
cpu = float(sys.argv[5]) + float(sys.argv[6])
v = json.load(open(out))
s = v.get("seconds", {})
split = ", ".join(f"{k} {s[k]:.2f}" for k in ("check", "queue", "plan", "render", "zip", "commit") if k in s)
n = v["invoices"]
print(f"{label:<34} {n:>6} invoices  {wall:6.2f} s wall  {cpu:6.2f} s CPU  {n / wall:5.0f}/s  peak {rss / 1024:4.0f} MiB  [{split}]")
PY
}

for count in $((n / 10)) "$n"; do
    "target/release/examples/gen_drafts" "$count" 10 "$work/drafts-$count.jsonl"
done

echo "== SQLite (embedded), one process on all cores; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for count in $((n / 10)) "$n"; do
    db="$work/l-$count.sqlite"
    $bin ledger init --db "$db" --as bench >/dev/null
    $bin ledger series bench --format '{year}-{seq:6}' --db "$db" --as bench >/dev/null
    timed "test run, $count drafts" $bin run --db "$db" --as bench --config "$work/factuur.toml" \
        --profile bench --from 2026-03-01 --to 2026-03-31 --json "$work/drafts-$count.jsonl" \
        -o "$work/test-$count.zip"
    timed "production run, $count drafts" $bin run --db "$db" --as bench --config "$work/factuur.toml" \
        --profile bench --from 2026-03-01 --to 2026-03-31 --production --json \
        "$work/drafts-$count.jsonl" -o "$work/prod-$count.zip"
    ls -l "$work/prod-$count.zip" | awk '{printf "  ZIP: %.0f MiB\n", $5 / 1048576}'
done

if [ "$postgres" = 1 ]; then
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    as_pg=()
    if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi
    pgdir=$(mktemp -d /tmp/factuur-pg-run-bench.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$pgdir"
    "${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
        -o "-c listen_addresses='' -k $pgdir" start >/dev/null
    host=$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=''))" "$pgdir")
    echo "== PostgreSQL on this machine (Unix socket, default settings, fsync on)"
    for helpers in 0 2; do
        db_name="bench$helpers"
        "${as_pg[@]}" "$pgbin/psql" -h "$pgdir" -U postgres -qc "CREATE DATABASE $db_name" >/dev/null
        url="postgresql://postgres@$host/$db_name"
        $bin ledger init --db "$url" --as bench >/dev/null
        $bin ledger series bench --format '{year}-{seq:6}' --db "$url" --as bench >/dev/null
        pids=()
        for _ in $(seq 1 "$helpers"); do
            $bin run work --until-idle 2 --db "$url" --as bench >/dev/null &
            pids+=($!)
        done
        timed "production, $((helpers + 1)) worker(s), $n drafts" $bin run --db "$url" --as bench \
            --config "$work/factuur.toml" --profile bench --from 2026-03-01 --to 2026-03-31 \
            --production --json "$work/drafts-$n.jsonl" -o "$work/pg-$helpers.zip"
        for p in "${pids[@]}"; do wait "$p"; done
    done
fi
