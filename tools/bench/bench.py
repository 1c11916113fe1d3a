#!/usr/bin/env python3
"""Throughput and memory of the standalone mock against a bare axum hello-world, same
machine, same run, same load generator (wrk) and the same pre-signed request bytes.

    python3 tools/bench/bench.py [--mock target/release/tco-harness]
        [--hello tools/bench/hello/target/release/bench-hello]
        [--duration 10] [--connections 2,32] [--rounds 2] [--requests 1000000]

What it does (see README.md):
1. Starts `tco-harness mock --listen 127.0.0.1:0 --config <rate_limits default = 100000000>`
   and `bench-hello --listen 127.0.0.1:0`.
2. Creates an organization in the mock (a signed 2018 CreateOrganization), so that the
   benchmarked 2021 DescribeOrganization is a stateful success, not an error envelope.
3. Throughput: for each round and each connection count, signs DescribeOrganization right
   before the run (`tco-harness sign`), and runs `wrk -t2 -cC -dDs` with that request against
   the mock, then against hello, alternating. Before and after each mock run the same signed
   request is sent once with urllib and must answer with no "Error".
4. Memory: fresh processes; drives --requests requests at each (wrk with a Lua response
   counter, 32 connections) and reads VmHWM and VmRSS from /proc/PID/status before and after.
Prints a Markdown summary and writes the raw numbers as JSON (--json).
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
THREADS = 2  # a 2-core machine; wrk shares those cores with the server under test
# The mock's built-in default account (crates/mock/src/config/account.rs). When the environment sets
# TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY, the mock and `tco-harness sign` both use
# those instead; otherwise they are set to these for both, so the two always agree.
BUILTIN = {
    "TENCENTCLOUD_SECRET_ID": "AKIDMockDefaultAccount00000000000000",
    "TENCENTCLOUD_SECRET_KEY": "tco-harness-mock-default-secret-key",
}
if not (os.environ.get("TENCENTCLOUD_SECRET_ID") and os.environ.get("TENCENTCLOUD_SECRET_KEY")):
    os.environ.update(BUILTIN)
LIVE = []  # servers to stop if the run fails half-way


class Server:
    def __init__(self, args, name):
        self.name = name
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.fullmatch(r"listening on (http://\S+)\n", line)
        if not m:
            self.proc.kill()
            raise SystemExit(f"{name}: unexpected first line {line!r}")
        self.url = m.group(1)
        self.endpoint = self.url
        self.pid = self.proc.pid
        LIVE.append(self)

    def status(self):
        out = {}
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmHWM", "VmRSS", "Threads"):
                    out[k] = v.strip()
        return out

    def kib(self, key):
        return int(self.status()[key].split()[0])

    def stop(self):
        if self in LIVE:
            LIVE.remove(self)
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None


def loadavg():
    """The 1, 5 and 15 minute load averages, as /proc/loadavg gives them."""
    return open("/proc/loadavg").read().split()[:3]


def unthrottled_config(work, extra=""):
    """A mock config with every limit raised out of the way: the benchmarks measure, they never
    throttle. `extra` goes before the table (top-level keys)."""
    path = os.path.join(work, "mock.toml")
    with open(path, "w") as f:
        f.write(f"{extra}[rate_limits]\ndefault = 100000000\n")
    return path


def sign(binary, endpoint, action, version, params="{}", timestamp=None):
    cmd = [binary, "sign", "--action", action, "--version", version, "--endpoint", endpoint,
           "--params", params]
    if timestamp is not None:
        cmd += ["--timestamp", str(timestamp)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def send(signed):
    headers = {k: v for k, v in signed["headers"].items() if k.lower() not in ("host", "content-length")}
    data = signed["body"].encode() if signed.get("body") else None
    r = urllib.request.Request(signed["url"], data=data, headers=headers, method=signed["method"])
    with urllib.request.urlopen(r, timeout=10) as resp:
        return resp.status, resp.read().decode()


def check_ok(signed, what):
    status, body = send(signed)
    if status != 200 or '"Error"' in body:
        raise SystemExit(f"{what}: expected a success, got {status} {body}")
    return body


def lua(signed, path, extra=()):
    with open(path, "w") as f:
        subprocess.run([sys.executable, os.path.join(HERE, "sign_to_lua.py"), *extra],
                       input=json.dumps(signed), text=True, stdout=f, check=True)


def parse_wrk(text):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    total = int(re.search(r"(\d+) requests in", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sockerr = re.search(r"Socket errors: (.*)", text)
    lat = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", text)
    p99 = re.search(r"\s99%\s+(\S+)", text)
    errs = re.search(r"error envelopes or non-200: (\d+)", text)
    return {
        "rps": rps,
        "requests": total,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sockerr.group(1) if sockerr else None,
        "latency_avg": lat.group(1) if lat else None,
        "latency_p99": p99.group(1) if p99 else None,
        "error_envelopes": int(errs.group(1)) if errs else None,
    }


def wrk(script, url, connections, duration):
    cmd = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script, url]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return " ".join(cmd), out, parse_wrk(out)


def wrk_count(signed, url, n, workdir):
    """wrk until every thread has seen ceil(n/THREADS) responses; returns (cmd, output, parsed)."""
    done = tempfile.mkdtemp(prefix="done-", dir=workdir)
    script = os.path.join(workdir, "count.lua")
    lua(signed, script, ["--stop-after", str(n), "--threads", str(THREADS), "--done-dir", done])
    cmd = ["wrk", f"-t{THREADS}", "-c32", "-d900s", "--latency", "-s", script, url]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    while len(os.listdir(done)) < THREADS and p.poll() is None:
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    out = p.communicate()[0]
    return " ".join(cmd), out, parse_wrk(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mock", default=os.path.join(REPO, "target/release/tco-harness"))
    ap.add_argument("--hello", default=os.path.join(HERE, "hello/target/release/bench-hello"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", default="2,32")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--requests", type=int, default=1_000_000)
    ap.add_argument("--json", default=None, help="write raw results here")
    a = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found (apt-get install -y wrk)")
    conns = [int(c) for c in a.connections.split(",")]
    work = tempfile.mkdtemp(prefix="tco-bench-")
    config = unthrottled_config(work)

    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "loadavg_start": loadavg(),
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[0],
        "throughput": [],
        "memory": {},
    }

    def start_pair():
        mock = Server([a.mock, "mock", "--listen", "127.0.0.1:0", "--config", config], "mock")
        hello = Server([a.hello, "--listen", "127.0.0.1:0"], "hello")
        create = sign(a.mock, mock.endpoint, "CreateOrganization", "2018-12-25", '{"OrgType":1}')
        check_ok(create, "CreateOrganization")
        return mock, hello

    # --- throughput -------------------------------------------------------------------
    mock, hello = start_pair()
    print(f"# mock {mock.url} (pid {mock.pid}), hello {hello.url} (pid {hello.pid})", flush=True)
    script = os.path.join(work, "req.lua")
    warm = sign(a.mock, mock.endpoint, "DescribeOrganization", "2021-03-31")
    lua(warm, script)
    wrk(script, mock.url, 32, 2)
    wrk(script, hello.url, 32, 2)
    for rnd in range(a.rounds):
        for c in conns:
            signed = sign(a.mock, mock.endpoint, "DescribeOrganization", "2021-03-31")
            check_ok(signed, "DescribeOrganization before run")
            lua(signed, script)
            row = {"round": rnd + 1, "connections": c}
            for srv in (mock, hello):
                cmd, out, parsed = wrk(script, srv.url, c, a.duration)
                row[srv.name] = parsed
                print(f"## round {rnd + 1}, -c{c}, {srv.name}: {cmd}\n{out}", flush=True)
            check_ok(signed, "DescribeOrganization after run")
            row["ratio"] = row["mock"]["rps"] / row["hello"]["rps"]
            results["throughput"].append(row)
    results["after_throughput"] = {"mock": mock.status(), "hello": hello.status()}
    rc = (mock.stop(), hello.stop())
    if rc != (0, 0):
        raise SystemExit(f"exit statuses after SIGTERM {rc}")

    # --- memory after a million requests ------------------------------------------------
    mock, hello = start_pair()
    # Sign 200 s ahead: the timestamp window is ±300 s, so the one signed request stays
    # valid from 100 s before to 500 s after now, long enough for a million at this machine's
    # slowest measured rate. Every response is checked by the Lua counter.
    signed = sign(a.mock, mock.endpoint, "DescribeOrganization", "2021-03-31",
                  timestamp=int(time.time()) + 200)
    check_ok(signed, "DescribeOrganization (memory run)")
    for srv in (mock, hello):
        before = srv.status()
        cmd, out, parsed = wrk_count(signed, srv.url, a.requests, work)
        time.sleep(1)
        after = srv.status()
        print(f"## memory, {srv.name}: {cmd}\n{out}\nbefore {before}\nafter {after}", flush=True)
        results["memory"][srv.name] = {"cmd": cmd, "wrk": parsed, "before": before, "after": after}
    rc = (mock.stop(), hello.stop())
    if rc != (0, 0):
        raise SystemExit(f"exit statuses after SIGTERM {rc}")
    results["loadavg_end"] = loadavg()

    # --- summary ------------------------------------------------------------------------
    print("\n# Summary\n")
    print(f"date {results['date']}, {results['nproc']} CPUs, {results['wrk']}, "
          f"loadavg start {results['loadavg_start']} end {results['loadavg_end']}\n")
    print("| round | connections | mock req/s | hello req/s | mock/hello | mock p99 | hello p99 |")
    print("|---|---|---|---|---|---|---|")
    for r in results["throughput"]:
        print(f"| {r['round']} | {r['connections']} | {r['mock']['rps']:.0f} | {r['hello']['rps']:.0f} | "
              f"{r['ratio']:.3f} | {r['mock']['latency_p99']} | {r['hello']['latency_p99']} |")
    for c in conns:
        ratios = [r["ratio"] for r in results["throughput"] if r["connections"] == c]
        print(f"\n-c{c}: median mock/hello {statistics.median(ratios):.3f} over {len(ratios)} rounds")
    m, h = results["memory"]["mock"], results["memory"]["hello"]
    def k(s, key):
        return int(s[key].split()[0])
    print("\n| process | requests | errors | VmRSS before | VmHWM after | VmRSS after |")
    print("|---|---|---|---|---|---|")
    for name, r in (("mock", m), ("hello", h)):
        print(f"| {name} | {r['wrk']['requests']} | {r['wrk']['error_envelopes']} | "
              f"{k(r['before'], 'VmRSS')} kB | {k(r['after'], 'VmHWM')} kB | {k(r['after'], 'VmRSS')} kB |")
    print(f"\nVmHWM mock/hello {k(m['after'], 'VmHWM') / k(h['after'], 'VmHWM'):.2f}, "
          f"VmRSS after mock/hello {k(m['after'], 'VmRSS') / k(h['after'], 'VmRSS'):.2f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)
    shutil.rmtree(work, ignore_errors=True)
    bad = [r for r in results["throughput"] for s in ("mock", "hello") if r[s]["non2xx"] or r[s]["socket_errors"]]
    bad += [n for n, r in results["memory"].items() if r["wrk"]["error_envelopes"] or r["wrk"]["requests"] < a.requests]
    if bad:
        print(f"\nWARNING: errors in runs: {bad}")
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        for server in list(LIVE):
            server.stop()
