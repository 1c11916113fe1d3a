#!/usr/bin/env python3
"""Where the mock's CPU goes under load: `perf record -e cpu-clock` on a running mock while
`wrk -t2 -c32` sends it the pre-signed `DescribeOrganization` (as mock.py does), then the
top symbols by self time (`perf report --no-children`).

    python3 tools/bench/profile_mock.py --mock target/release/tco-harness [--seconds 10]
        [--top 40] [--call-graph]

A release build has symbols but no debug info; `--call-graph` records DWARF call graphs,
useful only with `CARGO_PROFILE_RELEASE_DEBUG=true` builds. Bounded: --seconds of load
(plus 2 s of warm-up). Needs /usr/bin/perf and wrk.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mock", default=os.path.join(bench.REPO, "target/release/tco-harness"))
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--call-graph", action="store_true")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="tco-profile-")
    config = os.path.join(work, "mock.toml")
    with open(config, "w") as f:
        f.write("[rate_limits]\ndefault = 100000000\n")
    mock = bench.Server([a.mock, "mock", "--listen", "127.0.0.1:0", "--config", config], "mock")
    create = bench.sign(a.mock, mock.endpoint, "CreateOrganization", "2018-12-25", '{"OrgType":1}')
    bench.check_ok(create, "CreateOrganization")
    signed = bench.sign(a.mock, mock.endpoint, "DescribeOrganization", "2021-03-31")
    bench.check_ok(signed, "DescribeOrganization")
    script = os.path.join(work, "req.lua")
    bench.lua(signed, script)
    bench.wrk(script, mock.url, 32, 2)
    data = os.path.join(work, "perf.data")
    graph = ["--call-graph", "dwarf"] if a.call_graph else []
    load = subprocess.Popen(["wrk", "-t2", "-c32", f"-d{a.seconds + 2}s", "-s", script, mock.url],
                            stdout=subprocess.PIPE, text=True)
    subprocess.run(["perf", "record", "-e", "cpu-clock", *graph, "-o", data, "-p", str(mock.pid),
                    "--", "sleep", str(a.seconds)], check=True, capture_output=True)
    out = load.communicate()[0]
    bench.check_ok(signed, "DescribeOrganization after the run")
    mock.stop()
    print(f"# loadavg {' '.join(open('/proc/loadavg').read().split()[:3])}; "
          f"wrk: {bench.parse_wrk(out)['rps']:.0f} req/s")
    report = subprocess.run(["perf", "report", "-i", data, "--no-children", "--stdio",
                             "--sort", "dso,symbol", "--percent-limit", "0.3"],
                            check=True, capture_output=True, text=True).stdout
    # perf pads the symbol column and appends empty columns (" -  -"): cut both.
    lines = [re.sub(r"(\s+-)*\s*$", "", l) for l in report.splitlines()
             if l.strip() and not l.startswith("#")]
    print("\n".join(lines[: a.top]))


if __name__ == "__main__":
    try:
        main()
    finally:
        for server in list(bench.LIVE):
            server.stop()
