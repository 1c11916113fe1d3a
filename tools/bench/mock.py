#!/usr/bin/env python3
"""The mock beside an axum hello-world and the `wiremock` crate, alternated in one run, with
CPU per request and context switches per request from /proc (issue 15).

    python3 tools/bench/mock.py --mock before=target-base/tco-harness --mock after=target/release/tco-harness
        [--hello tools/bench/hello/target/release/bench-hello]
        [--wiremock tools/bench/wiremock/target/release/bench-wiremock]
        [--duration 5] [--connections 2,8,32] [--rounds 3]
        [--requests 300000] [--wiremock-requests 100000] [--json out.json]

`--mock` may be given more than once (`LABEL=PATH`, or a bare PATH labelled by its position),
e.g. a build of main and a build of a branch, so that one run compares them; the first one
also signs the requests (`tco-harness sign`). Every server runs at the same time; per round
and connection count the systems are run one after the other, in an order rotated every
round, each for --duration seconds of `wrk -t2 -cC` with the same pre-signed
`DescribeOrganization` (2021-03-31) bytes (signed for each mock's own Host).

Per run: requests/s (wrk), the server's CPU time (utime+stime of /proc/PID/stat over the
run) divided by the requests answered, and its context switches (voluntary + involuntary,
summed over /proc/PID/task/*/status) per request. Summary: medians over the rounds, ratios
mock/hello and mock/wiremock (throughput) and CPU(mock)/CPU(hello).

Memory: fresh processes; each mock gets --requests requests, wiremock --wiremock-requests
(it keeps every request, about 6 KB each), with wrk -c32 and a Lua counter that checks every
answer; VmHWM and VmRSS before and after.

Bounded: 3 rounds x 3 connection counts x (mocks + 2) systems x 5 s plus warm-up and the
memory runs: about 4 minutes with two mocks on this 2-core machine.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (shares the server, signing, wrk and Lua helpers)

HERE = bench.HERE
REPO = bench.REPO
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of the whole process (all threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is the state (field 3); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / TICK


def context_switches(pid):
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass  # a thread that ended meanwhile
    return total


def parse_mocks(values):
    out = []
    for i, v in enumerate(values or [os.path.join(REPO, "target/release/tco-harness")]):
        label, sep, path = v.partition("=")
        if not sep:
            label, path = f"mock{i + 1}" if values and len(values) > 1 else "mock", v
        out.append((label, os.path.abspath(path)))
    return out


class System:
    """One server under test and how to make its request."""

    def __init__(self, label, kind, server):
        self.label, self.kind, self.server = label, kind, server
        self.signed = None  # the request for the current round (mocks: signed for this Host)


def start_mock(label, path, config, signer):
    srv = bench.Server([path, "mock", "--listen", "127.0.0.1:0", "--config", config], label)
    create = bench.sign(signer, srv.endpoint, "CreateOrganization", "2018-12-25", '{"OrgType":1}')
    bench.check_ok(create, f"{label}: CreateOrganization")
    return System(label, "mock", srv)


def measure(system, script, connections, duration):
    pid = system.server.pid
    cpu0, cs0 = cpu_seconds(pid), context_switches(pid)
    cmd, out, parsed = bench.wrk(script, system.server.url, connections, duration)
    cpu1, cs1 = cpu_seconds(pid), context_switches(pid)
    n = max(parsed["requests"], 1)
    parsed["cpu_us_per_req"] = (cpu1 - cpu0) * 1e6 / n
    parsed["ctx_per_req"] = (cs1 - cs0) / n
    return cmd, out, parsed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mock", action="append", help="[LABEL=]PATH of a tco-harness binary; repeatable")
    ap.add_argument("--hello", default=os.path.join(HERE, "hello/target/release/bench-hello"))
    ap.add_argument("--wiremock", default=os.path.join(HERE, "wiremock/target/release/bench-wiremock"))
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--connections", default="2,8,32")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--requests", type=int, default=300_000)
    ap.add_argument("--wiremock-requests", type=int, default=100_000)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    mocks = parse_mocks(a.mock)
    signer = mocks[0][1]
    conns = [int(c) for c in a.connections.split(",")]
    work = tempfile.mkdtemp(prefix="tco-bench-mock-")
    config = bench.unthrottled_config(work)
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "loadavg_start": bench.loadavg(),
        "mocks": dict(mocks),
        "runs": [],
        "memory": {},
    }

    # --- servers ----------------------------------------------------------------------
    systems = [start_mock(label, path, config, signer) for label, path in mocks]
    first = systems[0].server
    sample = bench.sign(signer, first.endpoint, "DescribeOrganization", "2021-03-31")
    body = bench.check_ok(sample, "DescribeOrganization")
    body_file = os.path.join(work, "answer.json")
    with open(body_file, "w") as f:
        f.write(body)  # wiremock answers the real mock's bytes (a RequestId of the same length)
    systems.append(System("hello", "hello", bench.Server([a.hello, "--listen", "127.0.0.1:0"], "hello")))
    systems.append(System("wiremock", "wiremock", bench.Server(
        [a.wiremock, "--listen", "127.0.0.1:0", "--body-file", body_file], "wiremock")))
    for s in systems:
        print(f"# {s.label}: {s.server.url} pid {s.server.pid}", flush=True)

    def sign_round():
        for s in systems:
            target = s.server if s.kind == "mock" else first
            s.signed = bench.sign(signer, target.endpoint, "DescribeOrganization", "2021-03-31")
            if s.kind == "mock":
                bench.check_ok(s.signed, f"{s.label}: DescribeOrganization before run")

    def script_for(s):
        path = os.path.join(work, f"req-{s.label}.lua")
        bench.lua(s.signed, path)
        return path

    sign_round()
    for s in systems:  # warm-up
        bench.wrk(script_for(s), s.server.url, 32, 2)

    # --- throughput, alternated ---------------------------------------------------------
    for rnd in range(a.rounds):
        for c in conns:
            sign_round()
            k = (rnd * len(conns) + conns.index(c)) % len(systems)
            order = systems[k:] + systems[:k]
            for s in order:
                cmd, out, parsed = measure(s, script_for(s), c, a.duration)
                parsed.update(round=rnd + 1, connections=c, system=s.label)
                results["runs"].append(parsed)
                print(f"## round {rnd + 1}, -c{c}, {s.label}: {cmd}: {parsed['rps']:.0f} req/s, "
                      f"{parsed['cpu_us_per_req']:.1f} us CPU/req, {parsed['ctx_per_req']:.2f} cs/req",
                      flush=True)
                if s.kind == "mock":
                    bench.check_ok(s.signed, f"{s.label}: DescribeOrganization after run")
    for s in systems:
        rc = s.server.stop()
        if rc != 0:
            raise SystemExit(f"{s.label}: exit status {rc} after SIGTERM")

    # --- memory --------------------------------------------------------------------------
    for label, path in mocks + [("wiremock", a.wiremock)]:
        if label == "wiremock":
            srv = bench.Server([path, "--listen", "127.0.0.1:0", "--body-file", body_file], label)
            signed = bench.sign(signer, srv.endpoint, "DescribeOrganization", "2021-03-31")
            n = a.wiremock_requests
        else:
            srv = start_mock(label, path, config, signer).server
            signed = bench.sign(signer, srv.endpoint, "DescribeOrganization", "2021-03-31",
                                timestamp=int(time.time()) + 200)
            bench.check_ok(signed, f"{label}: DescribeOrganization (memory run)")
            n = a.requests
        before = srv.status()
        cmd, out, parsed = bench.wrk_count(signed, srv.url, n, work)
        time.sleep(1)
        after = srv.status()
        print(f"## memory, {label}: {cmd}: {parsed['requests']} requests, before {before}, after {after}",
              flush=True)
        results["memory"][label] = {"wrk": parsed, "before": before, "after": after, "asked": n}
        srv.stop()
    results["loadavg_end"] = bench.loadavg()
    summary(results, [m[0] for m in mocks], conns)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)
    bad = [(r["system"], r["connections"]) for r in results["runs"] if r["non2xx"] or r["socket_errors"]]
    bad += [k for k, m in results["memory"].items()
            if m["wrk"]["error_envelopes"] or m["wrk"]["requests"] < m["asked"]]
    if bad:
        print(f"\nWARNING: errors in runs: {bad}")
        return 1
    return 0


def summary(results, mock_labels, conns):
    def med(system, c, key):
        return statistics.median(r[key] for r in results["runs"]
                                 if r["system"] == system and r["connections"] == c)

    rounds = max(r["round"] for r in results["runs"])
    print("\n# Summary\n")
    print(f"{results['date']}, {results['nproc']} CPUs, loadavg start {' '.join(results['loadavg_start'])}, "
          f"end {' '.join(results['loadavg_end'])}; medians of {rounds} alternated rounds\n")
    print("| system | conns | req/s | CPU µs/req | ctx sw/req | /hello req/s | /wiremock req/s | CPU /hello |")
    print("|---|---|---|---|---|---|---|---|")
    for c in conns:
        hello_rps, hello_cpu = med("hello", c, "rps"), med("hello", c, "cpu_us_per_req")
        wm_rps = med("wiremock", c, "rps")
        for s in mock_labels + ["wiremock", "hello"]:
            rps, cpu = med(s, c, "rps"), med(s, c, "cpu_us_per_req")
            print(f"| {s} | {c} | {rps:.0f} | {cpu:.1f} | {med(s, c, 'ctx_per_req'):.2f} | "
                  f"{rps / hello_rps:.2f} | {rps / wm_rps:.2f} | {cpu / hello_cpu:.2f} |")
    if len(mock_labels) > 1:
        base = mock_labels[0]
        print(f"\n| conns | " + " | ".join(f"{m}/{base} req/s | {m}/{base} CPU/req" for m in mock_labels[1:]) + " |")
        print("|---|" + "---|---|" * (len(mock_labels) - 1))
        for c in conns:
            cells = []
            for m in mock_labels[1:]:
                cells.append(f"{med(m, c, 'rps') / med(base, c, 'rps'):.2f}")
                cells.append(f"{med(m, c, 'cpu_us_per_req') / med(base, c, 'cpu_us_per_req'):.2f}")
            print(f"| {c} | " + " | ".join(cells) + " |")

    def kib(s, key):
        return int(s[key].split()[0])

    print("\n| process | requests | errors | VmRSS before | VmHWM after | VmRSS after | growth per 1k requests |")
    print("|---|---|---|---|---|---|---|")
    for name, m in results["memory"].items():
        n = m["wrk"]["requests"]
        growth = (kib(m["after"], "VmHWM") - kib(m["before"], "VmHWM")) * 1000 / max(n, 1)
        print(f"| {name} | {n} | {m['wrk']['error_envelopes']} | {kib(m['before'], 'VmRSS')} kB | "
              f"{kib(m['after'], 'VmHWM')} kB | {kib(m['after'], 'VmRSS')} kB | {growth:.1f} kB |")


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        for server in list(bench.LIVE):
            server.stop()
