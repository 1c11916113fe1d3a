#!/usr/bin/env python3
"""The harness's open-model load generator beside oha, against one standalone mock, same
machine, same run, the systems alternated per rate.

    python3 tools/bench/generator.py --harness before=/path/a --harness after=/path/b \
        [--harness 'c256=/path/b --connections 256'] \
        [--mock PATH] [--oha PATH] [--rates 2000,8000,12000,16000,20000,24000,28000] [--duration 5] \
        [--rounds 1] [--json out.json]

What it does (see README.md, "Load generator beside oha"):
1. Starts `tco-harness mock --listen 127.0.0.1:0` with every limit raised
   (`[rate_limits] default = 100000000`) and a small journal, and creates an organization in
   it, so DescribeOrganization 2021-03-31 is a stateful success.
2. Per round, per rate R, alternating: each `--harness` runs
   `load rate-limit --endpoint URL --action DescribeOrganization --version 2021-03-31
   --rate R --duration Ds --expect-limit 100000000 --report-dir TMP`, then
   `oha -q R -z Ds` sends a request pre-signed right before it (`tco-harness sign`; the mock
   allows 300 s of clock skew).
3. Per run: achieved rate / intended (the harness's `offered.ratio` from summary.json, oha's
   answered requests / duration from its JSON), the harness's late fraction (calls that left
   more than 50 ms behind their slot), and the generator's CPU per request: user+system time
   of the child process (os.wait4's rusage, which covers its whole life) / requests sent.
4. Prints a Markdown table, the CPU ratios harness/oha, each system's ceiling (the highest R
   held at ratio >= 0.99; for the harness also with late <= 1 %), and the load average at the
   start and the end.

Bounded: each run is D s plus start-up and a 10 s grace at most; the whole run takes about
rounds * len(rates) * (harnesses + 1) * (D + 3) s (about 3 min for the defaults with two harnesses).
Credentials: the mock's built-in default account unless TENCENTCLOUD_SECRET_ID/_KEY are set.
"""

import argparse
import datetime
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (the unthrottled mock config and the load average)

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
ACTION, VERSION = "DescribeOrganization", "2021-03-31"
HELD = 0.99  # a rate is held when achieved / intended is at least this
LATE_ALLOWED = 0.01  # the verdict's allowance of late calls
# The mock's built-in default account (crates/mock/src/config/account.rs); see bench.py.
BUILTIN = {
    "TENCENTCLOUD_SECRET_ID": "AKIDMockDefaultAccount00000000000000",
    "TENCENTCLOUD_SECRET_KEY": "tco-harness-mock-default-secret-key",
}
if not (os.environ.get("TENCENTCLOUD_SECRET_ID") and os.environ.get("TENCENTCLOUD_SECRET_KEY")):
    os.environ.update(BUILTIN)


def loadavg():
    return " ".join(bench.loadavg())


def run_measured(cmd, timeout):
    """Runs cmd to its end; returns (exit status, stdout, CPU seconds of the child)."""
    out = tempfile.TemporaryFile()
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            p.kill()
        time.sleep(0.05)
    p.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    return p.returncode, out.read().decode(errors="replace"), usage.ru_utime + usage.ru_stime


def sign(binary, endpoint, action, version, params="{}"):
    cmd = [binary, "sign", "--action", action, "--version", version, "--endpoint", endpoint,
           "--params", params]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def send(signed):
    headers = {k: v for k, v in signed["headers"].items() if k.lower() not in ("host", "content-length")}
    data = signed["body"].encode() if signed.get("body") else None
    r = urllib.request.Request(signed["url"], data=data, headers=headers, method=signed["method"])
    with urllib.request.urlopen(r, timeout=10) as resp:
        body = resp.read().decode()
    if resp.status != 200 or '"Error"' in body:
        raise SystemExit(f"{signed['headers'].get('X-TC-Action')}: expected a success, got {body}")


class Mock:
    def __init__(self, binary, config):
        self.proc = subprocess.Popen([binary, "mock", "--listen", "127.0.0.1:0", "--config", config],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.fullmatch(r"listening on (http://\S+)\n", line)
        if not m:
            self.proc.kill()
            raise SystemExit(f"mock: unexpected first line {line!r}")
        self.url = m.group(1)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def run_harness(binary, url, rate, duration, work, extra=()):
    report = tempfile.mkdtemp(prefix="gen-", dir=work)
    cmd = [binary, "load", "rate-limit", "--endpoint", url, "--action", ACTION, "--version", VERSION,
           "--rate", str(rate), "--duration", f"{duration}s", "--expect-limit", "100000000",
           "--report-dir", report, *extra]
    code, out, cpu = run_measured(cmd, duration + 60)
    summary_path = os.path.join(report, "summary.json")
    if not os.path.exists(summary_path):
        raise SystemExit(f"{binary}: no summary.json (exit {code}):\n{out}")
    with open(summary_path) as f:
        summary = json.load(f)
    v = summary["scenarios"][0]["verdicts"][0]
    shutil.rmtree(report, ignore_errors=True)
    sent = v["offered"]["sent_calls"]
    return {
        "exit": code,
        "achieved": v["offered_per_second"],
        "ratio": v["offered"]["ratio"],
        "late": v["offered"]["late_fraction"],
        "lag_p99_ms": v["offered"]["lag_ms"].get("p99"),
        "sent": sent,
        "accepted": v["accepted"],
        "errors": sum(v["other_errors"].values()) + sum(v["transport_errors"].values()),
        "cpu_s": cpu,
        "cpu_us_per_req": cpu * 1e6 / max(sent, 1),
    }


def oha_format_flag(oha):
    text = subprocess.run([oha, "--help"], capture_output=True, text=True).stdout
    return ["--output-format", "json"] if "--output-format" in text else ["-j"]


def run_oha(oha, fmt, signer, url, rate, duration, connections):
    signed = sign(signer, url, ACTION, VERSION)
    send(signed)  # the signed request answers a success
    cmd = [oha, "-q", str(rate), "-z", f"{duration}s", "-c", str(connections), "--no-tui", *fmt,
           "-m", signed["method"]]
    for k, v in signed["headers"].items():
        if k.lower() not in ("host", "content-length"):
            cmd += ["-H", f"{k}: {v}"]
    if signed.get("body"):
        cmd += ["-d", signed["body"]]
    cmd.append(signed["url"])
    code, out, cpu = run_measured(cmd, duration + 60)
    if code != 0:
        raise SystemExit(f"oha exited {code}:\n{out}")
    j = json.loads(out[out.index("{"):])
    codes = j.get("statusCodeDistribution", {})
    answered = sum(codes.values())
    ok = codes.get("200", 0)
    achieved = answered / duration
    return {
        "exit": code,
        "achieved": achieved,
        "ratio": achieved / rate,
        "late": None,
        "sent": answered,
        "accepted": ok,
        "errors": sum(j.get("errorDistribution", {}).values()) + answered - ok,
        "cpu_s": cpu,
        "cpu_us_per_req": cpu * 1e6 / max(answered, 1),
    }


def ceiling(rows, system, late_too=False):
    held = [r["rate"] for r in rows if r["system"] == system and r["ratio"] >= HELD
            and not (late_too and r["late"] is not None and r["late"] > LATE_ALLOWED)]
    failed = [r["rate"] for r in rows if r["system"] == system and r["rate"] not in held]
    # The ceiling is the highest rate held below the lowest one that failed in any round.
    limit = min(failed) if failed else float("inf")
    below = [r for r in held if r < limit]
    return max(below) if below else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--harness", action="append", default=[],
                    help="LABEL=PATH or PATH of a tco-harness binary, optionally followed by extra "
                         "`load rate-limit` flags in the same quoted word (e.g. 'c256=target/release/"
                         "tco-harness --connections 256'); more than once to compare builds")
    ap.add_argument("--mock", default=None, help="tco-harness binary serving the mock (default: the first --harness)")
    ap.add_argument("--oha", default=shutil.which("oha") or os.path.expanduser("~/.cargo/bin/oha"))
    ap.add_argument("--rates", default="2000,8000,12000,16000,20000,24000,28000")
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--oha-connections", type=int, default=50, help="oha -c (its default)")
    ap.add_argument("--journal", type=int, default=1000, help="the mock's journal_capacity")
    ap.add_argument("--json", default=None, help="write the raw rows here")
    a = ap.parse_args()
    harnesses = []
    for h in a.harness or [os.path.join(REPO, "target/release/tco-harness")]:
        head, *extra = shlex.split(h)
        label, _, path = head.rpartition("=")
        harnesses.append((label or f"harness{len(harnesses) + 1}", os.path.abspath(path), extra))
    mock_bin = a.mock or harnesses[0][1]
    if not os.path.exists(a.oha):
        raise SystemExit(f"oha not found at {a.oha} (--oha PATH)")
    rates = [int(r) for r in a.rates.split(",")]
    work = tempfile.mkdtemp(prefix="tco-gen-")
    config = bench.unthrottled_config(work, f"journal_capacity = {a.journal}\n\n")
    started = loadavg()
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    fmt = oha_format_flag(a.oha)
    oha_version = subprocess.run([a.oha, "--version"], capture_output=True, text=True).stdout.strip()
    mock = Mock(mock_bin, config)
    rows = []
    try:
        send(sign(mock_bin, mock.url, "CreateOrganization", "2018-12-25", '{"OrgType":1}'))
        print(f"# mock {mock.url}, load average {started}", file=sys.stderr, flush=True)
        for rnd in range(a.rounds):
            for rate in rates:
                # Alternate which system goes first, so neither always meets the warmer mock.
                order = [("harness", h) for h in harnesses] + [("oha", None)]
                if (rnd + rates.index(rate)) % 2:
                    order.reverse()
                for kind, h in order:
                    if kind == "harness":
                        r = run_harness(h[1], mock.url, rate, a.duration, work, h[2])
                        system = h[0]
                    else:
                        r = run_oha(a.oha, fmt, mock_bin, mock.url, rate, a.duration, a.oha_connections)
                        system = "oha"
                    r.update(system=system, rate=rate, round=rnd + 1)
                    rows.append(r)
                    late = "-" if r["late"] is None else f"{r['late']:.3f}"
                    print(f"# round {rnd + 1} R={rate} {system}: ratio {r['ratio']:.4f} late {late} "
                          f"cpu {r['cpu_us_per_req']:.1f} us/req (load {loadavg()})",
                          file=sys.stderr, flush=True)
    finally:
        mock.stop()
        shutil.rmtree(work, ignore_errors=True)
    ended = loadavg()
    systems = [h[0] for h in harnesses] + ["oha"]
    print(f"Run {date}; {oha_version}; {a.rounds} round(s) of {a.duration} s per rate; "
          f"load average {started} at the start, {ended} at the end; oha -c {a.oha_connections}.")
    for label, path, extra in harnesses:
        print(f"- {label}: {path} load rate-limit ... {' '.join(extra)}".rstrip())
    print()
    print("| R/s | " + " | ".join(f"{s} ratio (late) | {s} CPU µs/req" for s in systems)
          + " | " + " | ".join(f"CPU {s}/oha" for s in systems[:-1]) + " |")
    print("|---" * (1 + 2 * len(systems) + len(systems) - 1) + "|")
    for rate in rates:
        cells = [f"{rate:,}"]
        med = {}
        for s in systems:
            mine = [r for r in rows if r["system"] == s and r["rate"] == rate]
            ratio = statistics.median(r["ratio"] for r in mine)
            lates = [r["late"] for r in mine if r["late"] is not None]
            cpu = statistics.median(r["cpu_us_per_req"] for r in mine)
            med[s] = cpu
            late = f" ({statistics.median(lates) * 100:.1f} % late)" if lates else ""
            cells += [f"{ratio:.3f}{late}", f"{cpu:.1f}"]
        cells += [f"{med[s] / med['oha']:.2f}" for s in systems[:-1]]
        print("| " + " | ".join(cells) + " |")
    print()
    for s in systems:
        c = ceiling(rows, s)
        line = f"- ceiling of {s} (ratio >= {HELD}): {c if c else 'none of the rates'}"
        if s != "oha":
            cl = ceiling(rows, s, late_too=True)
            line += f"; with late <= {LATE_ALLOWED:.0%}: {cl if cl else 'none of the rates'}"
        print(line)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"date": date, "loadavg": [started, ended], "oha": oha_version, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
