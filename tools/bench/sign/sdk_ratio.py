#!/usr/bin/env python3
"""The official Python SDK's build+sign beside `tco_sign::build`, for the 26-byte request.

Times the SDK's TC3 request building and signing (`AbstractClient._build_req_with_tc3_signature`,
what every SDK call runs before sending) for the request the `drive` rows sign (a 2021-03-31
`DescribeOrganization` with `{"Name": "benchmark-name"}`, at the same timestamp), in one Python
process, in CPU time of the thread; then `drive --only build_uncached` and `--only bare_chain`
alternately in the same run, and prints SDK / build and SDK / bare.

    python3 tools/bench/sign/sdk_ratio.py --drive tools/bench/sign/target/release/drive \
        [--rounds 5] [--iters 20000]

Needs `tencentcloud-sdk-python-intl-en` importable (the venv `.ci/run` builds from
tools/requirements.txt will do). Informative only: no target rides on it.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import timeit

HOST = "organization.intl.tencentcloudapi.com"
TIMESTAMP = 1_700_000_000
BODY_26 = '{"Name": "benchmark-name"}'
AUTH_PREFIX = ("TC3-HMAC-SHA256 Credential=AKIDbench/2023-11-14/organization/tc3_request, "
               "SignedHeaders=content-type;host, Signature=")


def sdk_signer():
    """A function doing one SDK build+sign of the 26-byte request, checked once."""
    from tencentcloud.common import abstract_client, credential
    from tencentcloud.common.http.request import RequestInternal
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    class Organization(abstract_client.AbstractClient):
        _apiVersion = "2021-03-31"
        _endpoint = HOST
        _service = "organization"

    # The SDK reads the clock itself; pin it to the drive's timestamp so both sign the same.
    abstract_client.time.time = lambda: TIMESTAMP
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=HOST))
    client = Organization(credential.Credential("AKIDbench", "bench-secret-key"), "", profile)
    params = {"Name": "benchmark-name"}

    def sign():
        req = RequestInternal(HOST, "POST", "/")
        client._build_req_with_tc3_signature("DescribeOrganization", params, req)
        return req

    req = sign()
    if req.data != BODY_26 or not req.header["Authorization"].startswith(AUTH_PREFIX):
        sys.exit(f"sdk_ratio.py: the SDK signed another request: {req.data!r}")
    return sign


def sdk_ns(sign, iters):
    timer = timeit.Timer(sign, timer=time.thread_time)
    return timer.timeit(iters) / iters * 1e9


def drive_ns(path, row, iters):
    out = subprocess.run([path, "--only", row, "--iters", str(iters)], check=True,
                         capture_output=True, text=True, timeout=600).stdout
    name, ns = out.split()
    return float(ns)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drive", required=True, help="a drive binary (tools/bench/sign)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--iters", type=int, default=20_000)
    args = ap.parse_args()
    if not os.access(args.drive, os.X_OK):
        sys.exit(f"sdk_ratio.py: --drive {args.drive!r} is not executable")
    sign = sdk_signer()
    start = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    sdk, build, bare = [], [], []
    for _ in range(args.rounds):
        sdk.append(sdk_ns(sign, args.iters))
        build.append(drive_ns(args.drive, "build_uncached", args.iters))
        bare.append(drive_ns(args.drive, "bare_chain", args.iters))
    end = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    s, b, c = (statistics.median(x) for x in (sdk, build, bare))
    print(f"Load average (1/5/15 min) at start: {start}; at end: {end}. {args.rounds} rounds x "
          f"{args.iters} iterations; median CPU time per operation (thread CPU clock).\n")
    print("| row | ns |\n|---|---|")
    print(f"| Python SDK build+sign | {s:,.0f} |")
    print(f"| tco_sign::build (no key cache) | {b:,.0f} |")
    print(f"| bare chain | {c:,.0f} |\n")
    print(f"SDK / build = {s / b:.2f}; SDK / bare = {s / c:.2f}")


if __name__ == "__main__":
    main()
