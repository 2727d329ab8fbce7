#!/usr/bin/env bash
# Load bench: keyturn serve (release) and moto_server under the same signed STS requests with wrk.
#
#   benches/load/run.sh            # or: make bench-load
#
# Loopback only. Both servers run side by side; for each action the bench runs TRIALS (default 5)
# pairs of wrk runs of DURATION each (default 6s), keyturn then moto, so that each ratio compares two
# runs made under the same conditions of the shared machine; the report gives medians. WORKERS=N
# sets keyturn's `server.workers`; by default the bench leaves one core to wrk (cores - 1, at
# least 1), since the server and the load generator share the machine. Results go to
# docs/performance.md (section "Load") and to target/load/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${DURATION:-6s}
TRIALS=${TRIALS:-5}
CORES=$(nproc)
WORKERS=${WORKERS:-$(( CORES > 1 ? CORES - 1 : 1 ))}
CONNECTIONS=${CONNECTIONS:-32}
OUT=$ROOT/target/load
VENV=$ROOT/target/venv-moto
mkdir -p "$OUT"

PIDS=()
BENCH_PYTHON=  # moto_server comes from the bench's venv
# shellcheck source=benches/load/common.sh
. benches/load/common.sh
# REPORT_DOC=path writes the report's section there instead of docs/performance.md.
REPORT_DOC=${REPORT_DOC:-docs/performance.md}

# trial <name> <pid> <port> <action> <n>: one wrk run, with the server's CPU ticks around it.
trial() {
  local name=$1 pid=$2 port=$3 action=$4 n=$5
  local base="$OUT/$name-$action-$n"
  cpu_ticks "$pid" > "$base.cpu"
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$OUT/$name-$action.lua" "http://127.0.0.1:$port/" > "$base.wrk"
  cpu_ticks "$pid" >> "$base.cpu"
  grep VmHWM "/proc/$pid/status" | awk '{print $2}' > "$base.hwm"
  grep -E "Requests/sec" "$base.wrk" | sed "s/^/$name $action $n: /"
}

# Keyturn: the seed scenario, in memory, no audit log (it would measure the terminal).
WORK=$(mktemp -d)
"$PY" - "$WORK/bench.yaml" "$WORKERS" <<'PYEOF'
import sys, yaml
config = yaml.safe_load(open("docs/examples/cross-account.yaml"))
config["server"] = {"region": "us-east-1"}
if sys.argv[2]:
    config["server"]["workers"] = int(sys.argv[2])
config["keyring"] = "keyring.json"
config["store"] = {"memory": True}
open(sys.argv[1], "w").write(yaml.safe_dump(config, sort_keys=False))
PYEOF
PORT=$(free_port)
"$KEYTURN" serve --config "$WORK/bench.yaml" --listen "127.0.0.1:$PORT" >"$OUT/keyturn.log" 2>&1 &
KT=$!
PIDS+=("$KT")
MPORT=$(free_port)
"$VENV/bin/moto_server" -H 127.0.0.1 -p "$MPORT" >"$OUT/moto.log" 2>&1 &
MOTO=$!
PIDS+=("$MOTO")
wait_port "$PORT"
wait_port "$MPORT"

rm -f "$OUT"/*-AssumeRole-*.* "$OUT"/*-GetCallerIdentity-*.*
for action in AssumeRole GetCallerIdentity; do
  "$PY" benches/load/sign.py "127.0.0.1:$PORT" "$action" "$OUT/keyturn-$action.lua"
  "$PY" benches/load/sign.py "127.0.0.1:$MPORT" "$action" "$OUT/moto-$action.lua"
  # Warm-up: connections, caches, moto's first requests.
  wrk -t1 -c"$CONNECTIONS" -d2s -s "$OUT/keyturn-$action.lua" "http://127.0.0.1:$PORT/" >/dev/null
  wrk -t1 -c"$CONNECTIONS" -d2s -s "$OUT/moto-$action.lua" "http://127.0.0.1:$MPORT/" >/dev/null
  for n in $(seq 1 "$TRIALS"); do
    trial keyturn "$KT" "$PORT" "$action" "$n"
    trial moto "$MOTO" "$MPORT" "$action" "$n"
  done
done
kill "$KT" "$MOTO"; wait "$KT" "$MOTO" 2>/dev/null || true
rm -rf "$WORK"

"$PY" benches/load/report.py "$OUT" "$REPORT_DOC" "$CONNECTIONS" "$DURATION" "$(getconf CLK_TCK)" "$WORKERS" "$TRIALS"
