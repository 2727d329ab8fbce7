"""Reads the wrk outputs of benches/load/run.sh and writes the "Load" section of docs/performance.md.

    python report.py OUT_DIR docs/performance.md CONNECTIONS DURATION CLK_TCK WORKERS TRIALS

Each action ran TRIALS pairs of wrk runs (keyturn, then moto, back to back); the table gives each
figure's median over the trials, and the ratio is the median of the per-pair ratios.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from statistics import median

BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"
GOALS = {"AssumeRole": 60_000, "GetCallerIdentity": 75_000}
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def latency_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * UNITS[unit]


def parse(path: Path) -> dict:
    out = path.read_text()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {p: latency_ms(v) for p, v in re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M)}
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": rps,
        "requests": total,
        "p50": pct["50"],
        "p99": pct["99"],
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def main() -> None:
    out, doc, connections, duration = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    tick_us = 1e6 / int(sys.argv[5])
    workers = sys.argv[6] if len(sys.argv) > 6 and sys.argv[6] else "one per core (the default)"
    trials = int(sys.argv[7]) if len(sys.argv) > 7 else 1

    def run(name: str, action: str, n: int) -> dict:
        r = parse(out / f"{name}-{action}-{n}.wrk")
        before, after = (int(x) for x in (out / f"{name}-{action}-{n}.cpu").read_text().split())
        r["cpu"] = (after - before) * tick_us / r["requests"]
        r["rss"] = int((out / f"{name}-{action}-{n}.hwm").read_text()) / 1024
        return r

    def med(runs: list[dict], key: str) -> float:
        return median(r[key] for r in runs)

    rows = []
    verdicts = []
    spreads = []
    for action in ("AssumeRole", "GetCallerIdentity"):
        kt = [run("keyturn", action, n) for n in range(1, trials + 1)]
        moto = [run("moto", action, n) for n in range(1, trials + 1)]
        ratios = [k["rps"] / m["rps"] if m["rps"] else float("inf") for k, m in zip(kt, moto)]
        ratio = median(ratios)
        kt_rss = max(r["rss"] for r in kt)
        moto_rss = max(r["rss"] for r in moto)
        rows.append(
            f"| {action} | {med(kt, 'rps'):,.0f} | {med(kt, 'p50'):.2f} | {med(kt, 'p99'):.2f} | "
            f"{med(kt, 'cpu'):.1f} | {kt_rss:.1f} | {med(moto, 'rps'):,.0f} | {med(moto, 'p50'):.2f} | "
            f"{med(moto, 'p99'):.2f} | {med(moto, 'cpu'):,.0f} | {moto_rss:.1f} | {ratio:,.0f}× |"
        )
        spreads.append(
            f"- {action}, each pair: keyturn "
            + ", ".join(f"{r['rps']:,.0f}" for r in kt)
            + " req/s; moto "
            + ", ".join(f"{r['rps']:,.0f}" for r in moto)
            + "; ratios "
            + ", ".join(f"{x:,.0f}×" for x in ratios)
        )
        for name, runs in (("keyturn", kt), ("moto", moto)):
            for n, r in enumerate(runs, 1):
                if r["non2xx"] or r["socket_errors"]:
                    verdicts.append(
                        f"- {name} {action} (pair {n}): {r['non2xx']} non-2xx responses; {r['socket_errors']}"
                    )
        checks = [(f"≥ {GOALS[action]:,} req/s", med(kt, "rps") >= GOALS[action])]
        if action == "AssumeRole":
            checks += [("p99 ≤ 5 ms", med(kt, "p99") <= 5), ("≥ 150× moto", ratio >= 150)]
        checks.append(("RSS ≤ 40 MB", kt_rss <= 40))
        verdicts.append(
            f"- {action}: " + ", ".join(f"{goal} **{'met' if ok else 'not met'}**" for goal, ok in checks)
        )
    load = os.getloadavg()
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    section = "\n".join(
        [
            BEGIN,
            f"Run of {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {cpu} cores, "
            f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min, after the run; the "
            "machine is shared). `wrk -t1 "
            f"-c{connections} -d{duration} --latency`, loopback, one pre-signed request replayed per action; "
            f"keyturn `server.workers`: {workers}. {trials} pairs of runs per action (keyturn, then moto, back "
            "to back, both servers up): medians over the pairs, and the median of the pairs' ratios.",
            "",
            "| action | keyturn req/s | p50 ms | p99 ms | CPU µs/req | RSS MB "
            "| moto req/s | p50 ms | p99 ms | CPU µs/req | RSS MB | ratio |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            *verdicts,
            "",
            *spreads,
            "",
            "CPU µs/req is the server process's user + system time during a run divided by the requests "
            "served (clock-tick resolution): unlike req/s it hardly depends on what else runs on the machine. "
            "RSS is the peak (`VmHWM`) since the server started.",
            END,
        ]
    )
    text = doc.read_text() if doc.exists() else "# Performance\n"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) :]
    else:
        raise SystemExit(f"{doc} has no {BEGIN} … {END} markers in its Load section")
    doc.write_text(text)
    print(section)


if __name__ == "__main__":
    main()
