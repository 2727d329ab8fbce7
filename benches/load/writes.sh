#!/usr/bin/env bash
# Write benches: IAM writes per second through the server on SQLite, and AssumeRole's throughput
# while a writer changes a role's policy once a second.
#
#   benches/load/writes.sh                                     # release build, as run.sh
#   KEYTURN_BIN=target/debug/keyturn DURATION=3s TRIALS=1 WRITER=user benches/load/writes.sh
#
# 1. Writes: `keyturn serve` on a new SQLite store (the seed scenario plus root keys), CLIENTS
#    (default 4) client processes sending signed IAM writes over keep-alive connections for
#    DURATION: first CreateUser only, then CreateUser alternating with PutUserPolicy (writes.py).
#    Each write re-compiles the model and commits it, so the rate falls as users accumulate: each
#    mix starts on a fresh store. Client and server share the machine: the server's CPU seconds
#    are reported too.
# 2. AssumeRole under writes: wrk replays a signed AssumeRole (alice → UpdateApp, as run.sh) on
#    SQLite, TRIALS pairs of runs, quiet then with a writer that puts the role UpdateApp's inline
#    policy `bench-churn` once a second, alternating two documents (PutRolePolicy; WRITER=user
#    creates and deletes a user instead). AssumeRole's decisions do not depend on that policy, so
#    every response must be a 200: the bench counts wrk's non-2xx responses and the writer's
#    failures, and fails if there is any.
#
# Results: target/load/writes-*.{json,wrk} and a summary on standard output (not written into
# docs/performance.md: copy the figures there with the build they were measured with).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${DURATION:-6s}
SECONDS_=${DURATION%s}
TRIALS=${TRIALS:-5}
CLIENTS=${CLIENTS:-4}
CONNECTIONS=${CONNECTIONS:-32}
WRITER=${WRITER:-role-policy}
CORES=$(nproc)
WORKERS=${WORKERS:-$(( CORES > 1 ? CORES - 1 : 1 ))}
OUT=$ROOT/target/load
mkdir -p "$OUT"

PIDS=()
# shellcheck source=benches/load/common.sh
. benches/load/common.sh
case "$KEYTURN" in */debug/*) BUILD="debug build: not a figure to publish" ;; *) BUILD="release build" ;; esac

TCK=$(getconf CLK_TCK)

# start_server <dir>: keyturn serve on a new SQLite store in <dir>; sets KT and PORT.
start_server() {
  local dir=$1
  rm -rf "$dir"
  mkdir -p "$dir"
  "$PY" benches/load/writes.py config "$dir/bench.yaml" "$dir/keyturn.db" "$dir/keyring.json" "$WORKERS"
  PORT=$(free_port)
  "$KEYTURN" serve --config "$dir/bench.yaml" --listen "127.0.0.1:$PORT" >"$dir/keyturn.log" 2>&1 &
  KT=$!
  PIDS+=("$KT")
  wait_port "$PORT"
}

stop_server() { kill "$KT"; wait "$KT" 2>/dev/null || true; }

echo "== IAM writes per second on SQLite ($BUILD; $CLIENTS clients, $DURATION each)"
for mix in create create+policy; do
  start_server "$OUT/writes-server"
  before=$(cpu_ticks "$KT")
  "$PY" benches/load/writes.py load "http://127.0.0.1:$PORT" "$SECONDS_" "$CLIENTS" "$mix" \
    | tee "$OUT/writes-$mix.json"
  after=$(cpu_ticks "$KT")
  echo "   server CPU: $(awk -v t=$((after - before)) -v k="$TCK" 'BEGIN {printf "%.2f", t / k}') s"
  stop_server
done

echo "== AssumeRole on SQLite, quiet and with a writer ($BUILD; $TRIALS trials of $DURATION)"
start_server "$OUT/writes-server"
"$PY" benches/load/sign.py "127.0.0.1:$PORT" AssumeRole "$OUT/writes-AssumeRole.lua"
wrk -t1 -c"$CONNECTIONS" -d2s -s "$OUT/writes-AssumeRole.lua" "http://127.0.0.1:$PORT/" >/dev/null
bad=0
for n in $(seq 1 "$TRIALS"); do
  for phase in quiet writer; do
    if [ "$phase" = writer ]; then
      "$PY" benches/load/writes.py churn "http://127.0.0.1:$PORT" "$SECONDS_" "$WRITER" \
        > "$OUT/writes-churn-$n.json" &
      CHURN=$!
    fi
    wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$OUT/writes-AssumeRole.lua" \
      "http://127.0.0.1:$PORT/" > "$OUT/writes-$phase-$n.wrk"
    if [ "$phase" = writer ]; then
      wait "$CHURN"
      cat "$OUT/writes-churn-$n.json"
      bad=$(( bad + $("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["non_200"])' "$OUT/writes-churn-$n.json") ))
    fi
    rps=$(grep -E "Requests/sec" "$OUT/writes-$phase-$n.wrk" | awk '{print $2}')
    non2xx=$(grep -E "Non-2xx or 3xx responses" "$OUT/writes-$phase-$n.wrk" | awk '{print $NF}' || true)
    bad=$(( bad + ${non2xx:-0} ))
    echo "   trial $n $phase: $rps req/s, non-2xx: ${non2xx:-0}"
  done
done
stop_server
"$PY" - "$OUT" "$TRIALS" <<'PYEOF'
import re, sys
from statistics import median
out, trials = sys.argv[1], int(sys.argv[2])
rps = {p: [float(re.search(r"Requests/sec:\s+([\d.]+)", open(f"{out}/writes-{p}-{n}.wrk").read()).group(1))
           for n in range(1, trials + 1)] for p in ("quiet", "writer")}
ratios = [w / q for q, w in zip(rps["quiet"], rps["writer"])]
print(f"   median: quiet {median(rps['quiet']):.0f} req/s, with a writer {median(rps['writer']):.0f} req/s "
      f"(writer/quiet {median(ratios):.2f})")
PYEOF
if [ "$bad" -ne 0 ]; then
  echo "FAILED: $bad wrong answers (non-2xx AssumeRole responses or failed writes)" >&2
  exit 1
fi
echo "   zero wrong answers"
