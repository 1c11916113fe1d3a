#!/usr/bin/env python3
"""Counts per request that a busy machine does not move much (issue 15): the mock's user-space
instructions under callgrind, its system calls and its context switches, beside the axum
hello-world, for one or more mock builds.

    python3 tools/bench/mock_counts.py --mock before=PATH --mock after=PATH
        [--hello tools/bench/hello/target/release/bench-hello]
        [--requests 3000] [--seconds 4] [--connections 32] [--no-callgrind] [--no-syscalls]

Per system, each started as mock.py starts it (every limit raised, an organization created,
a pre-signed 2021-03-31 `DescribeOrganization`; hello gets the same bytes):
- instructions: the server runs under `valgrind --tool=callgrind`; after 500 requests of
  warm-up the counters are zeroed (`callgrind_control -z`), wrk sends --requests more
  (`-c8`), and the counters are dumped. Ir per request in all, and without SHA-256's block
  function: valgrind's CPU has no SHA extensions, so the sha2 crate falls back to its
  portable code, about 40 % of the mock's instructions there against about 2 % of its CPU
  time natively (`perf`); the column without it is the one to compare.
- system calls: `perf trace -s` on the server during `wrk -t2 -cC -d<seconds>s`, per request.
- context switches: voluntary and involuntary (`/proc/PID/task/*/status`) over a second run
  of the same length without perf, per request, with the CPU time per request of that run.
Wall-clock numbers move with the machine's load; these counts much less, which is why they
are used to judge a change while others build. Bounded: per system about 30 s under
valgrind plus 2 x --seconds.
"""

import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import mock  # noqa: E402  (cpu_seconds, parse_mocks)

SHA_BLOCKS = "sha2::sha256::compress256"


def switches(pid):
    """(voluntary, involuntary) context switches summed over the process's threads."""
    vol = invol = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches"):
                        vol += int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches"):
                        invol += int(line.split()[1])
        except FileNotFoundError:
            pass
    return vol, invol


def start(kind, path, config, signer, wrap=()):
    """The server and the request for it (a mock: signed for its own Host)."""
    if kind == "hello":
        srv = bench.Server([*wrap, path, "--listen", "127.0.0.1:0"], "hello")
        return srv, None
    srv = bench.Server([*wrap, path, "mock", "--listen", "127.0.0.1:0", "--config", config], kind)
    create = bench.sign(signer, srv.endpoint, "CreateOrganization", "2018-12-25", '{"OrgType":1}')
    bench.check_ok(create, "CreateOrganization")
    signed = bench.sign(signer, srv.endpoint, "DescribeOrganization", "2021-03-31")
    bench.check_ok(signed, "DescribeOrganization")
    return srv, signed


def instructions(kind, path, config, signer, requests, work, fallback):
    out = os.path.join(work, f"callgrind-{os.getpid()}-{time.time_ns()}.out")
    wrap = ["valgrind", "--tool=callgrind", "--dump-instr=no", f"--callgrind-out-file={out}"]
    srv, signed = start(kind, path, config, signer, wrap)
    signed = signed or fallback(srv)
    bench.wrk_count(signed, srv.url, 500, work)
    subprocess.run(["callgrind_control", "-z", str(srv.pid)], check=True, capture_output=True)
    _, _, parsed = bench.wrk_count(signed, srv.url, requests, work)
    subprocess.run(["callgrind_control", "-d", str(srv.pid)], check=True, capture_output=True)
    srv.stop()
    for dump in glob.glob(out + "*"):
        text = open(dump).read()
        if re.search(r"^part: 1$", text, re.M):
            total = int(re.search(r"^summary:\s+(\d+)", text, re.M).group(1))
            annotated = subprocess.run(["callgrind_annotate", "--inclusive=yes", dump],
                                       capture_output=True, text=True).stdout
            sha = re.search(r"^\s*([\d,]+) \(.*" + re.escape(SHA_BLOCKS) + " ", annotated, re.M)
            sha = int(sha.group(1).replace(",", "")) if sha else 0
            n = max(parsed["requests"], 1)
            return {"requests": n, "ir": total / n, "ir_sha": sha / n, "ir_rest": (total - sha) / n}
    raise SystemExit(f"{kind}: no callgrind dump after the run")


def syscalls(srv, script, connections, seconds, work):
    trace = os.path.join(work, f"trace-{srv.pid}.txt")
    perf = subprocess.Popen(["perf", "trace", "-s", "-p", str(srv.pid), "-o", trace, "--",
                             "sleep", str(seconds + 1)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    _, _, parsed = bench.wrk(script, srv.url, connections, seconds)
    perf.wait()
    counts = {}
    for m in re.finditer(r"^\s+(\w+)\s+(\d+)\s+\d", open(trace).read(), re.M):
        counts[m.group(1)] = counts.get(m.group(1), 0) + int(m.group(2))
    n = max(parsed["requests"], 1)
    return {k: v / n for k, v in counts.items()}


def switches_and_cpu(srv, script, connections, seconds):
    v0, i0, c0 = *switches(srv.pid), mock.cpu_seconds(srv.pid)
    _, _, parsed = bench.wrk(script, srv.url, connections, seconds)
    v1, i1, c1 = *switches(srv.pid), mock.cpu_seconds(srv.pid)
    n = max(parsed["requests"], 1)
    return {"rps": parsed["rps"], "vol": (v1 - v0) / n, "invol": (i1 - i0) / n,
            "cpu_us": (c1 - c0) * 1e6 / n}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mock", action="append", help="[LABEL=]PATH of a tco-harness binary; repeatable")
    ap.add_argument("--hello", default=os.path.join(bench.HERE, "hello/target/release/bench-hello"))
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--seconds", type=int, default=4)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--no-callgrind", action="store_true")
    ap.add_argument("--no-syscalls", action="store_true")
    a = ap.parse_args()
    mocks = mock.parse_mocks(a.mock)
    signer = mocks[0][1]
    work = tempfile.mkdtemp(prefix="tco-bench-counts-")
    config = bench.unthrottled_config(work)
    systems = [(label, "mock", path) for label, path in mocks] + [("hello", "hello", a.hello)]
    print(f"# loadavg start {' '.join(bench.loadavg())}", flush=True)

    def hello_request(srv):
        # hello answers anything: the mock's request bytes, signed for hello's own Host.
        return bench.sign(signer, srv.endpoint, "DescribeOrganization", "2021-03-31")

    rows = {}
    for label, kind, path in systems:
        row = rows.setdefault(label, {})
        if not a.no_callgrind:
            row.update(instructions(kind, path, config, signer, a.requests, work, hello_request))
            print(f"## {label}: {row['ir']:,.0f} Ir/request ({row['ir_rest']:,.0f} without SHA-256 blocks)",
                  flush=True)
        srv, signed = start(kind, path, config, signer)
        signed = signed or hello_request(srv)
        script = os.path.join(work, f"req-{label}.lua")
        bench.lua(signed, script)
        bench.wrk(script, srv.url, a.connections, 1)
        if not a.no_syscalls:
            row["syscalls"] = syscalls(srv, script, a.connections, a.seconds, work)
        row.update(switches_and_cpu(srv, script, a.connections, a.seconds))
        srv.stop()
        print(f"## {label}: {row['rps']:.0f} req/s, {row['cpu_us']:.1f} us CPU/req, "
              f"ctx {row['vol']:.3f} vol + {row['invol']:.3f} invol per request", flush=True)

    print(f"\n# loadavg end {' '.join(bench.loadavg())}; -c{a.connections}\n")
    hello = rows["hello"]
    if not a.no_callgrind:
        print("| system | Ir/request | SHA-256 blocks | Ir/request without them | /hello |")
        print("|---|---|---|---|---|")
        for label, row in rows.items():
            print(f"| {label} | {row['ir']:,.0f} | {row['ir_sha']:,.0f} | {row['ir_rest']:,.0f} | "
                  f"{row['ir_rest'] / hello['ir_rest']:.2f} |")
        print()
    names = []
    if not a.no_syscalls:
        top = sorted(hello["syscalls"], key=lambda k: -hello["syscalls"][k])[:4]
        for row in rows.values():
            top += [k for k in sorted(row["syscalls"], key=lambda k: -row["syscalls"][k])[:4] if k not in top]
        names = top
    print("| system | req/s | CPU µs/req | ctx vol/req | ctx invol/req | "
          + " | ".join(f"{n}/req" for n in names) + (" | syscalls/req |" if names else ""))
    print("|---|---|---|---|---|" + "---|" * (len(names) + (1 if names else 0)))
    for label, row in rows.items():
        cells = [f"{row['syscalls'].get(n, 0):.2f}" for n in names]
        if names:
            cells.append(f"{sum(row['syscalls'].values()):.2f}")
        print(f"| {label} | {row['rps']:.0f} | {row['cpu_us']:.1f} | {row['vol']:.3f} | {row['invol']:.3f} | "
              + " | ".join(cells) + (" |" if cells else ""))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        for server in list(bench.LIVE):
            server.stop()
