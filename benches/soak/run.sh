#!/usr/bin/env bash
# Soak: `keyturn serve` under full-rate signed STS load, malformed requests and stalled
# connections for MINUTES (default 10); see benches/soak/README.md. Not part of `make test`.
#
#   benches/soak/run.sh                      # release build, 10 minutes
#   KEYTURN_BIN=target/debug/keyturn MINUTES=2 benches/soak/run.sh
#
# Exits 1 unless: no 5xx among the answers to valid requests (nor to malformed ones), the RSS at
# the end is within 20 % of the RSS once warmed up, and every stalled connection was closed by
# the server within its deadline (+2 s).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
MINUTES=${MINUTES:-10}
CONNECTIONS=${CONNECTIONS:-32}
HEADER_TIMEOUT=${HEADER_TIMEOUT:-10}
BODY_TIMEOUT=${BODY_TIMEOUT:-10}
OUT=$ROOT/target/soak
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "the soak needs wrk (apt-get install wrk)" >&2; exit 2; }

# SOAK_PYTHON=path: a Python with boto3 (by default the client tests' venv, made if missing).
if [ -n "${SOAK_PYTHON:-}" ]; then
  PY=$SOAK_PYTHON
else
  make --no-print-directory target/venv/.installed >/dev/null
  PY=$ROOT/target/venv/bin/python
fi
if [ -n "${KEYTURN_BIN:-}" ]; then
  KEYTURN=$KEYTURN_BIN
else
  cargo build --release --locked --bin keyturn
  KEYTURN=${CARGO_TARGET_DIR:-$ROOT/target}/release/keyturn
fi

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The seed scenario in memory, no audit log, the connection deadlines of the soak.
WORK=$(mktemp -d)
"$PY" - "$WORK/soak.yaml" "$HEADER_TIMEOUT" "$BODY_TIMEOUT" <<'PYEOF'
import sys, yaml
config = yaml.safe_load(open("docs/examples/cross-account.yaml"))
config["server"] = {"region": "us-east-1", "connections": {
    "header_timeout": float(sys.argv[2]), "body_timeout": float(sys.argv[3])}}
config["keyring"] = "keyring.json"
config["store"] = {"memory": True}
open(sys.argv[1], "w").write(yaml.safe_dump(config, sort_keys=False))
PYEOF
PORT=$(free_port)
(cd "$WORK" && exec "$KEYTURN" serve --config soak.yaml --listen "127.0.0.1:$PORT") >"$OUT/keyturn.log" 2>&1 &
KT=$!
PIDS+=("$KT")
for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

SECONDS_TOTAL=$(( MINUTES * 60 ))
"$PY" benches/soak/soak.py sign "127.0.0.1:$PORT" "$OUT/mix.lua"
echo "soak: $MINUTES min against $KEYTURN (pid $KT, port $PORT); wrk -c$CONNECTIONS, malformed requests, 200 stalled connections"
"$PY" benches/soak/soak.py attack "127.0.0.1:$PORT" "$KT" "$SECONDS_TOTAL" "$HEADER_TIMEOUT" "$BODY_TIMEOUT" "$OUT/attack.json" &
ATTACK=$!
wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_TOTAL}s" -s "$OUT/mix.lua" "http://127.0.0.1:$PORT/" > "$OUT/wrk.txt"
wait "$ATTACK"
kill -TERM "$KT"
STOP_START=$(date +%s.%N)
wait "$KT" || true
STOP_TOOK=$(echo "$(date +%s.%N) - $STOP_START" | bc)
rm -rf "$WORK"

"$PY" - "$OUT" "$STOP_TOOK" <<'PYEOF'
import json, re, sys
out, stop_took = sys.argv[1], float(sys.argv[2])
wrk = open(f"{out}/wrk.txt").read()
counts = dict(re.findall(r"(\w+)=(\d+)", re.search(r"SOAK_COUNTS (.*)", wrk).group(1)))
rate = re.search(r"Requests/sec:\s*([\d.]+)", wrk).group(1)
a = json.load(open(f"{out}/attack.json"))
rss = a["rss_kib"]
drift = (rss["end"] - rss["start"]) / rss["start"] * 100
st = a["stalls"]
print(f"valid requests: {int(counts['2xx']) + int(counts['4xx']) + int(counts['5xx'])} at {rate} req/s; "
      f"2xx {counts['2xx']}, 4xx {counts['4xx']}, 5xx {counts['5xx']}; socket errors {counts['errors']}")
print(f"malformed requests: {a['malformed']}")
print(f"stalled connections: {st['opened']} opened, {st['closed_by_server']} closed by the server, "
      f"{st['closed_late']} late, {st['still_open_after_deadline']} still open after their deadline")
for name, k in st["per_kind"].items():
    print(f"  {name}: {k['closed']} closed, longest held {k['max_held_s']} s, late {k['late']}")
print(f"RSS: {rss['start']} KiB warmed up, {rss['end_of_load']} KiB at the end of the load, {rss['end']} KiB after "
      f"the stalls drained ({drift:+.1f} %), peak {rss['peak']} KiB")
print(f"SIGTERM to exit: {stop_took:.2f} s")
ok = (counts["5xx"] == "0" and "5xx" not in a["malformed"] and abs(drift) <= 20
      and st["closed_late"] == 0 and st["still_open_after_deadline"] == 0)
print("soak: PASS" if ok else "soak: FAIL")
sys.exit(0 if ok else 1)
PYEOF
