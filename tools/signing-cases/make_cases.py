#!/usr/bin/env python3
"""Writes crates/sign/tests/signing-cases/: one directory per signing edge case, in the style of the
AWS SigV4 test suite.

Each positive case holds the request as sent (`request.json`) and what a correct signer must
derive from it: `canonical-request.txt`, `string-to-sign.txt`, `authorization.txt` (TC3) or
`string-to-sign.txt` and `signature.txt` (v1). Each negative case holds a request and the error
code a verifier must answer with (`expected-error.txt`).

The expected strings are computed here, independently of the Rust code, from the documented
algorithm; every HMAC step and the v1 signature use the official Python SDK's own `Sign` class
(tencentcloud-sdk-python-intl-en). Run: python3 tools/signing-cases/make_cases.py
"""
import hashlib
import json
import os
import shutil
from datetime import datetime, timezone
from urllib.parse import urlencode

from tencentcloud.common.sign import Sign

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "sign", "tests", "signing-cases")
SERVICE = "organization"
HOST = "organization.intl.tencentcloudapi.com"
SID = "AKIDcase0000000000000000000000000000"
SKEY = "case-secret-key-0000000000000000"
TS = 1700000000  # 2023-11-14T22:13:20Z


def utc_date(ts):
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d")


def tc3(method, query, headers, body, ts, signed, unsigned=False, secret_id=SID, secret_key=SKEY,
        date=None, service=SERVICE):
    """Documented TC3: names and values lower-cased and trimmed, sorted by name."""
    lookup = {k.lower(): v for k, v in headers}
    canon = sorted((n, lookup[n].strip().lower()) for n in signed)
    canonical_headers = "".join("%s:%s\n" % (n, v) for n, v in canon)
    signed_headers = ";".join(n for n, _ in canon)
    payload = b"UNSIGNED-PAYLOAD" if unsigned else body.encode("utf-8")
    creq = "\n".join([method, "/", query, canonical_headers, signed_headers,
                      hashlib.sha256(payload).hexdigest()])
    date = date or utc_date(ts)
    scope = "%s/%s/tc3_request" % (date, service)
    sts = "\n".join(["TC3-HMAC-SHA256", str(ts), scope,
                     hashlib.sha256(creq.encode("utf-8")).hexdigest()])
    sig = Sign.sign_tc3(secret_key, date, service, sts)
    authz = "TC3-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        secret_id, scope, signed_headers, sig)
    return creq, sts, authz


def write(name, files):
    d = os.path.join(ROOT, name)
    os.makedirs(d)
    for fname, content in files.items():
        with open(os.path.join(d, fname), "w", encoding="utf-8", newline="") as f:
            if fname.endswith(".json"):
                json.dump(content, f, ensure_ascii=False, indent=1)
                f.write("\n")
            else:
                f.write(content)


def request_json(method, query, headers, body, now, note, token=None, store=None):
    return {
        "note": note,
        "credentials": store or [{"secret_id": SID, "secret_key": SKEY, "token": token}],
        "now": now,
        "request": {"method": method, "path": "/", "query": query,
                    "headers": [[k, v] for k, v in headers], "body": body},
    }


def common_headers(ct, host=HOST, ts=TS, action="DescribeOrganization", extra=()):
    return [("Content-Type", ct), ("Host", host), ("X-TC-Action", action),
            ("X-TC-Timestamp", str(ts)), ("X-TC-Version", "2021-03-31")] + list(extra)


def positive_tc3(name, note, method="POST", query="", body="{}", ct="application/json",
                 host=HOST, ts=TS, signed=("content-type", "host"), unsigned=False, token=None,
                 extra=()):
    headers = common_headers(ct, host, ts, extra=extra)
    if unsigned:
        headers.append(("X-TC-Content-SHA256", "UNSIGNED-PAYLOAD"))
    if token:
        headers.append(("X-TC-Token", token))
    creq, sts, authz = tc3(method, query, headers, body, ts, signed, unsigned)
    req = request_json(method, query, headers + [("Authorization", authz)], body, ts, note, token)
    req["signed_headers"] = list(signed)
    req["unsigned_payload"] = unsigned
    write(name, {"request.json": req, "canonical-request.txt": creq,
                 "string-to-sign.txt": sts, "authorization.txt": authz})
    return headers, authz


def negative(name, note, method, query, headers, body, code, now=TS, token=None, store=None):
    write(name, {"request.json": request_json(method, query, headers, body, now, note, token, store),
                 "expected-error.txt": code + "\n"})


def v1_params(method, host, params, sign_method, secret_key=SKEY):
    sts = "%s%s/?%s" % (method, host, "&".join(
        "%s=%s" % (k.replace("_", "."), v) for k, v in sorted(params, key=lambda kv: kv[0].replace("_", "."))))
    return sts, Sign.sign(secret_key, sts, sign_method)


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(ROOT)

    positive_tc3("tc3-post-json", "The SDK's ordinary request: POST JSON, content-type;host.",
                 body='{"Offset": 0, "Limit": 10}')
    positive_tc3("tc3-content-type-charset", "A charset parameter is part of the signed content type.",
                 ct="application/json; charset=utf-8", body='{"Limit": 1}')
    positive_tc3("tc3-host-with-port", "The host header keeps its port in the canonical headers.",
                 host="127.0.0.1:9000")
    positive_tc3("tc3-host-upper-case-with-port",
                 "Header values are lower-cased in the canonical headers, the port kept.",
                 host="Organization.Example.COM:8443")
    positive_tc3("tc3-extra-signed-x-tc-action",
                 "A client may sign more headers; x-tc-action is signed with its value lower-cased.",
                 signed=("content-type", "host", "x-tc-action"))
    positive_tc3("tc3-extra-signed-headers-unsorted",
                 "Signed headers are sorted by name whatever order the client lists them in.",
                 signed=("x-tc-version", "host", "x-tc-timestamp", "content-type"))
    positive_tc3("tc3-header-value-whitespace", "Values are trimmed before they are signed.",
                 ct="  application/json  ")
    positive_tc3("tc3-get-unsorted-query", "GET signs the query string exactly as sent, not sorted.",
                 method="GET", query="Offset=0&Limit=10", body="",
                 ct="application/x-www-form-urlencoded")
    positive_tc3("tc3-get-encoded-query", "Percent-encoding in the query is signed as sent.",
                 method="GET", body="", ct="application/x-www-form-urlencoded",
                 query=urlencode([("Name", "a b&c"), ("Tags.0.TagKey", "未命名")]))
    positive_tc3("tc3-get-empty-values-and-lists",
                 "An empty string is 'Name=', an empty list contributes nothing.",
                 method="GET", body="", ct="application/x-www-form-urlencoded",
                 query=urlencode([("Name", ""), ("Remark", "")]))
    positive_tc3("tc3-get-booleans", "Booleans travel as the SDK writes them (Python 'True').",
                 method="GET", body="", ct="application/x-www-form-urlencoded",
                 query=urlencode([("IsAllowQuit", True), ("Limit", 10)]))
    positive_tc3("tc3-post-empty-body", "An empty body hashes to the SHA-256 of nothing.", body="")
    positive_tc3("tc3-post-unicode-body", "The body is hashed as UTF-8 bytes.",
                 body='{"Name": "部门-é-😀"}')
    positive_tc3("tc3-unsigned-payload",
                 "X-TC-Content-SHA256: UNSIGNED-PAYLOAD replaces the body hash with the literal's hash.",
                 body='{"Limit": 10}', unsigned=True)
    positive_tc3("tc3-token", "Temporary credentials: X-TC-Token is sent but not signed.",
                 token="tok-temporary-0001")
    positive_tc3("tc3-utc-midnight", "At 00:00:00 UTC the scope date is the new day.", ts=1700006400)
    positive_tc3("tc3-one-second-before-midnight", "At 23:59:59 UTC the scope date is the old day.",
                 ts=1700006399)

    # v1: HmacSHA1 GET and HmacSHA256 POST form.
    for name, method, sm, note in [
        ("v1-hmacsha1-get", "GET", "HmacSHA1", "v1 GET: sorted raw parameters, base64 HMAC-SHA1."),
        ("v1-hmacsha256-post-form", "POST", "HmacSHA256", "v1 POST form with HmacSHA256."),
    ]:
        params = [("Action", "DescribeOrganization"), ("Version", "2018-12-25"), ("Nonce", "11886"),
                  ("Timestamp", str(TS)), ("SecretId", SID), ("SignatureMethod", sm),
                  ("Filters.0.Name", "a b"), ("Region", "ap-guangzhou")]
        sts, sig = v1_params(method, HOST, params, sm)
        enc = urlencode(params + [("Signature", sig)])
        query, body = (enc, "") if method == "GET" else ("", enc)
        req = request_json(method, query, [("Content-Type", "application/x-www-form-urlencoded"),
                                            ("Host", HOST)], body, TS, note)
        write(name, {"request.json": req, "string-to-sign.txt": sts, "signature.txt": sig})

    # Negative cases, each a correct request with one thing wrong.
    base_headers, authz = common_headers("application/json"), None
    _, _, authz = tc3("POST", "", base_headers, "{}", TS, ("content-type", "host"))
    good = base_headers + [("Authorization", authz)]
    negative("neg-tc3-body-changed", "The body differs from the one signed.", "POST", "", good,
             '{"Limit":1}', "AuthFailure.SignatureFailure")
    negative("neg-tc3-signature-flipped", "One hex digit of the signature changed.", "POST", "",
             base_headers + [("Authorization", authz[:-1] + ("0" if authz[-1] != "0" else "1"))],
             "{}", "AuthFailure.SignatureFailure")
    negative("neg-tc3-expired", "Timestamp 301 s before the server clock.", "POST", "", good, "{}",
             "AuthFailure.SignatureExpire", now=TS + 301)
    negative("neg-tc3-from-the-future", "Timestamp 301 s after the server clock.", "POST", "", good,
             "{}", "AuthFailure.SignatureExpire", now=TS - 301)
    negative("neg-tc3-unknown-secret-id", "The SecretId is not in the store.", "POST", "", good, "{}",
             "AuthFailure.SecretIdNotFound",
             store=[{"secret_id": "AKIDsomeoneelse", "secret_key": SKEY, "token": None}])
    negative("neg-tc3-unsupported-algorithm", "An algorithm other than TC3-HMAC-SHA256.", "POST", "",
             base_headers + [("Authorization", authz.replace("TC3-HMAC-SHA256", "TC3-HMAC-SHA1"))],
             "{}", "AuthFailure.InvalidAuthorization")
    negative("neg-tc3-malformed-authorization", "No Credential field.", "POST", "",
             base_headers + [("Authorization", "TC3-HMAC-SHA256 SignedHeaders=content-type;host, Signature=00")],
             "{}", "AuthFailure.InvalidAuthorization")
    negative("neg-tc3-host-not-signed", "SignedHeaders must include host.", "POST", "",
             base_headers + [("Authorization", authz.replace("content-type;host", "content-type"))],
             "{}", "AuthFailure.InvalidAuthorization")
    negative("neg-tc3-missing-timestamp", "No X-TC-Timestamp header.", "POST", "",
             [h for h in good if h[0] != "X-TC-Timestamp"], "{}", "MissingParameter")
    _, _, authz_date = tc3("POST", "", base_headers, "{}", TS, ("content-type", "host"), date="2023-11-13")
    negative("neg-tc3-scope-date-mismatch", "The credential date is not the timestamp's UTC date.",
             "POST", "", base_headers + [("Authorization", authz_date)], "{}",
             "AuthFailure.SignatureFailure")
    _, _, authz_svc = tc3("POST", "", base_headers, "{}", TS, ("content-type", "host"), service="cvm")
    negative("neg-tc3-service-mismatch", "Signed for another service.", "POST", "",
             base_headers + [("Authorization", authz_svc)], "{}", "AuthFailure.SignatureFailure")
    _, _, authz_xa = tc3("POST", "", base_headers, "{}", TS, ("content-type", "host", "x-tc-action"))
    negative("neg-tc3-signed-header-changed", "A signed extra header (x-tc-action) was changed.",
             "POST", "", [(k, "CreateOrganization" if k == "X-TC-Action" else v) for k, v in base_headers]
             + [("Authorization", authz_xa)], "{}", "AuthFailure.SignatureFailure")
    negative("neg-tc3-token-missing", "Temporary credentials without X-TC-Token.", "POST", "", good,
             "{}", "AuthFailure.TokenFailure", token="tok-expected")
    negative("neg-tc3-token-wrong", "X-TC-Token differs from the one issued.", "POST", "",
             good + [("X-TC-Token", "tok-other")], "{}", "AuthFailure.TokenFailure", token="tok-expected")
    negative("neg-unsigned-request", "No Authorization header and no v1 Signature.", "POST", "",
             base_headers, "{}", "AuthFailure.InvalidAuthorization")
    params = [("Action", "DescribeOrganization"), ("Version", "2018-12-25"), ("Nonce", "1"),
              ("Timestamp", str(TS)), ("SecretId", SID), ("SignatureMethod", "HmacSHA256")]
    _, sig = v1_params("GET", HOST, params, "HmacSHA256")
    form = [("Content-Type", "application/x-www-form-urlencoded"), ("Host", HOST)]
    negative("neg-v1-signature-wrong", "v1 parameter changed after signing.", "GET",
             urlencode([(k, "2" if k == "Nonce" else v) for k, v in params] + [("Signature", sig)]),
             form, "", "AuthFailure.SignatureFailure")
    negative("neg-v1-missing-nonce", "v1 without Nonce.", "GET",
             urlencode([p for p in params if p[0] != "Nonce"] + [("Signature", sig)]), form, "",
             "MissingParameter")
    negative("neg-v1-expired", "v1 timestamp 301 s old.", "GET",
             urlencode(params + [("Signature", sig)]), form, "", "AuthFailure.SignatureExpire",
             now=TS + 301)


if __name__ == "__main__":
    main()
