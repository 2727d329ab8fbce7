# What the load benches share (sourced by run.sh and writes.sh from the repository's root, with
# ROOT, OUT and PIDS set): wrk, the Python that signs, the keyturn binary, ports, CPU ticks.

command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
# BENCH_PYTHON=path: a Python with botocore and PyYAML instead of the bench's own venv.
VENV=$ROOT/target/venv-moto
if [ -n "${BENCH_PYTHON:-}" ]; then
  PY=$BENCH_PYTHON
else
  if [ ! -f "$VENV/.installed" ] || [ benches/load/requirements.txt -nt "$VENV/.installed" ]; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet -r benches/load/requirements.txt
    touch "$VENV/.installed"
  fi
  PY=$VENV/bin/python
fi

# KEYTURN_BIN=path runs a prebuilt binary instead (to compare two builds in one sitting).
if [ -n "${KEYTURN_BIN:-}" ]; then
  KEYTURN=$KEYTURN_BIN
else
  cargo build --release --locked --bin keyturn
  KEYTURN=${CARGO_TARGET_DIR:-$ROOT/target}/release/keyturn
fi

cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}

# The server's user + system CPU time in clock ticks: CPU per request does not depend on how busy
# the shared machine is, unlike req/s.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
