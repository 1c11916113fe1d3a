#!/usr/bin/env python3
"""Generate crates/sign/tests/data/signing-corpus.json: a differential corpus for request
signing, produced by the OFFICIAL Tencent Cloud Python SDK
(tencentcloud-sdk-python-intl-en==3.1.193).

Every expected value (headers, Authorization, Signature, body, request line)
is captured from what the SDK itself hands to the HTTP layer; nothing about
signing is reimplemented here.  The network is cut at the lowest point the
SDK controls: `requests.Session.request` inside the SDK's ProxyConnection,
so the SDK's own ApiRequest/ProxyConnection code (URL building, the `Host`
header default) also runs.  A fake 200 response `{"Response":{"RequestId":"x"}}`
is returned so `call_json` completes normally.

Determinism: case generation uses random.Random(SEED); the clock
(`time.time`) and the v1 nonce (`random.randint`) are patched as seen by
tencentcloud.common.abstract_client; a fixed X-TC-TraceId is passed and then
dropped from the expected headers.  Running twice yields identical output.

Usage (from the repository root):
    pip install -r tools/requirements.txt
    python3 tools/signing-corpus/make_corpus.py [--out crates/sign/tests/data/signing-corpus.json]
"""

import argparse
import copy
import json
import os
import random
import string
import sys
from unittest import mock

import requests

import tencentcloud
from tencentcloud.common import credential
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.http.request import ApiRequest
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

SDK_PACKAGE = "tencentcloud-sdk-python-intl-en"
SDK_VERSION = "3.1.193"
SEED = 20240229
SERVICE = "organization"
TRACE_ID = "00000000-0000-4000-8000-000000000000"
FAKE_BODY = '{"Response":{"RequestId":"x"}}'

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Directory holding v20181225/api.json and v20210331/api.json (the service's API
# description: action names and request members).  Override with --reference-dir
# or $TCO_REFERENCE_DIR.
DEFAULT_REFERENCE_DIR = os.environ.get(
    "TCO_REFERENCE_DIR", os.path.join(ROOT, "reference", "organization")
)
VERSION_DIR = {"2018-12-25": "v20181225", "2021-03-31": "v20210331"}


def load_catalogue(reference_dir):
    """Return {version: {action: [member, ...]}} and {version: objects}.

    Action names and request members come from the service's api.json; the
    file is required (no fallback) so that the output is a pure function of
    (seed, SDK, api.json)."""
    actions, objects = {}, {}
    for version, sub in VERSION_DIR.items():
        path = os.path.join(reference_dir, sub, "api.json")
        if not os.path.isfile(path):
            sys.exit("missing %s (pass --reference-dir or set TCO_REFERENCE_DIR)" % path)
        with open(path, encoding="utf-8") as f:
            api = json.load(f)
        objs = api.get("objects", {})
        acts = {}
        for name in sorted(api["actions"]):
            inp = api["actions"][name].get("input")
            acts[name] = list(objs.get(inp, {}).get("members", []))
        actions[version] = acts
        objects[version] = objs
    return actions, objects


# Names the v1 signer adds to the form itself; a user param with one of these
# names would be overwritten in place, so generated params avoid them.
RESERVED = {"Action", "RequestClient", "Nonce", "Timestamp", "Version", "Region", "Token",
            "SecretId", "SignatureMethod", "Language", "Signature"}

HOSTS = [
    ("organization.intl.tencentcloudapi.com", 40),
    ("organization.tencentcloudapi.com", 20),
    ("127.0.0.1:9000", 15),
    ("localhost:8080", 15),
    ("[::1]:9000", 10),
]
UPPER_HOSTS = [
    "Organization.Intl.TencentCloudAPI.com",
    "ORGANIZATION.TENCENTCLOUDAPI.COM",
    "LOCALHOST:8080",
    "organization.INTL.tencentcloudapi.com",
    "Organization.TencentCloudAPI.com",
]
REGIONS = ["ap-guangzhou", "ap-singapore", "ap-hongkong", "na-siliconvalley", "eu-frankfurt", "ap-shanghai"]

SPECIAL_TIMESTAMPS = [
    1551113065,   # the value used in Tencent's own signing docs (2019-02-25)
    1700006399,   # 2023-11-14T23:59:59Z
    1700006400,   # 2023-11-15T00:00:00Z (UTC midnight)
    1700006401,   # 2023-11-15T00:00:01Z
    1767225599,   # 2025-12-31T23:59:59Z
    1767225600,   # 2026-01-01T00:00:00Z
    1709164799,   # 2024-02-28T23:59:59Z
    1709164800,   # 2024-02-29T00:00:00Z (leap day)
    1709208000,   # 2024-02-29T12:00:00Z
    1709251199,   # 2024-02-29T23:59:59Z
    1709251200,   # 2024-03-01T00:00:00Z
    1835395200,   # 2028-02-29T00:00:00Z (leap day)
    2147483647,   # 2038-01-19T03:14:07Z (i32 max)
    2147483648,   # one past i32 max
    4102444800,   # 2100-01-01T00:00:00Z
]

PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
ALNUM = string.ascii_letters + string.digits
UNICODE_WORDS = ["组织", "成员", "腾讯云", "测试节点", "café", "naïve", "Ångström", "São Paulo",
                 "Größe", "😀", "🚀🔥", "👩‍💻", "日本語", "한국어", "Ελληνικά", "русский", "عربى", "ǅ",
                 "e\u0301", "\u00a0nbsp", "\u2028sep", "𝔘𝔫𝔦"]
URL_CHARS = [" ", "&", "=", "+", "/", "?", "%", "#", "\"", "'", "\n", "\r\n", "\t", ";", ":", ",",
             "@", "!", "*", "(", ")", "~", "[", "]", "{", "}", "<", ">", "\\", "|", "^", "`", "$"]
URL_STRINGS = ["a b", "a&b=c", "1+1=2", "path/to/x?y=z", "100%", "#tag", "say \"hi\"", "it's",
               "line1\nline2", "tab\there", "a%20b", "%E4%B8%AD", "~user", "x=y&z", "?&=+/%#",
               " leading", "trailing ", "  ", "a+b c", "semi;colon", "crlf\r\nend", "back\\slash"]
FLOATS = [0.5, 2.25, -0.75, 1.5, 100.125, 0.25, -2.5, 3.0, 0.0]
BIG_INTS = [2 ** 63 - 1, 2 ** 63 - 2, -(2 ** 63), -(2 ** 63) + 1, 2 ** 63, 2 ** 64 - 1,
            2 ** 53, 2 ** 53 + 1, 2 ** 62, 4294967296, 100000000000000001]


class FakeResponse(object):
    status_code = 200
    reason = "OK"
    headers = {"Content-Type": "application/json"}
    content = FAKE_BODY
    text = FAKE_BODY


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    acc = 0
    for v, w in pairs:
        acc += w
        if x <= acc:
            return v
    return pairs[-1][0]


def rand_str(rng, alphabet, lo, hi):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


# ---------------------------------------------------------------------------
# Credentials
# ---------------------------------------------------------------------------
def make_secret_id(rng):
    return "AKID" + rand_str(rng, ALNUM, 32, 32)


SECRET_KEY_LENGTHS = [1, 2, 8, 16, 31, 32, 33, 40, 60, 61, 62, 63, 64, 65, 100, 128, 255]


def make_secret_key(rng, i):
    style = i % 10
    length = SECRET_KEY_LENGTHS[i % len(SECRET_KEY_LENGTHS)]
    if style <= 4:
        key = rand_str(rng, ALNUM, length, length)
    elif style <= 7:
        key = "".join(rng.choice(ALNUM + PUNCT) for _ in range(length))
    elif style == 8:
        # internal spaces are accepted by Credential (only leading/trailing are rejected)
        key = "".join(rng.choice(ALNUM + " ") for _ in range(max(length, 3)))
        key = "k" + key[1:-1] + "z"
    else:
        key = "".join(rng.choice(ALNUM + "éü中文ß€") for _ in range(length))
    key = key.strip() or "K"
    return key


def make_token(rng):
    kind = rng.randint(0, 3)
    if kind == 0:
        return rand_str(rng, ALNUM, 8, 16)
    if kind == 1:
        return rand_str(rng, ALNUM + "+/", 100, 300) + rng.choice(["", "=", "=="])
    if kind == 2:
        return rand_str(rng, ALNUM + "_-.", 300, 700)
    return rand_str(rng, ALNUM + "+/=_-.:", 40, 120)


# ---------------------------------------------------------------------------
# Params
# ---------------------------------------------------------------------------
def scalar_for(rng, member_type, name):
    if member_type in ("int64", "uint64", "int", "integer"):
        r = rng.random()
        if r < 0.6:
            return rng.randint(0, 1000)
        if r < 0.9:
            return rng.randint(100000000000, 999999999999)
        return rng.choice([0, 1, 2 ** 31 - 1, 2 ** 32, 2 ** 63 - 1]) if member_type != "int64" else rng.randint(-1000, -1)
    if member_type == "bool":
        return rng.random() < 0.5
    if member_type in ("float", "double"):
        return rng.choice(FLOATS)
    # string
    r = rng.random()
    if r < 0.7:
        return rand_str(rng, ALNUM + "-_.", 1, 24)
    if r < 0.85:
        return rng.choice(UNICODE_WORDS)
    return rng.choice(URL_STRINGS)


def schema_value(rng, version_objects, m, depth):
    t, mem, name = m.get("type"), m.get("member"), m.get("name")
    if t == "list":
        n = rng.randint(0, 3)
        if mem in version_objects and depth < 3:
            return [schema_object(rng, version_objects, mem, depth + 1) for _ in range(n)]
        return [scalar_for(rng, mem, name) for _ in range(n)]
    if t == "object" and mem in version_objects and depth < 3:
        return schema_object(rng, version_objects, mem, depth + 1)
    if t in ("int", "bool", "float", "string"):
        return scalar_for(rng, mem if t != "bool" else "bool", name)
    if mem in version_objects and depth < 3:
        return schema_object(rng, version_objects, mem, depth + 1)
    return scalar_for(rng, "string", name)


def schema_object(rng, version_objects, obj_name, depth):
    out = {}
    for m in version_objects[obj_name].get("members", []):
        if m.get("required") or rng.random() < 0.4:
            out[m["name"]] = schema_value(rng, version_objects, m, depth)
    return out


def params_from_schema(rng, members, version_objects):
    out = {}
    for m in members:
        if m["name"] in RESERVED:
            continue
        if m.get("required") or rng.random() < 0.35:
            out[m["name"]] = schema_value(rng, version_objects, m, 0)
    return out


def big_ascii(rng, n):
    # deterministic, cheap: repeat a random 4 KiB block with a varying tail
    block = "".join(rng.choice(ALNUM + " -_.~") for _ in range(4096))
    s = (block * (n // len(block) + 1))[:n - 16] + rand_str(rng, ALNUM, 16, 16)
    return s


PARAM_KINDS = ["empty", "schema", "flat", "nested", "empty_values", "unicode", "urlchars",
               "long", "bigint", "none", "float", "mixed", "schema", "nested", "urlchars", "unicode"]


def make_params(rng, kind, members, version_objects):
    if kind == "empty":
        return {}
    if kind == "schema":
        return params_from_schema(rng, members, version_objects)
    if kind == "flat":
        p = {}
        p["Offset"] = rng.randint(0, 500)
        p["Limit"] = rng.choice([1, 10, 20, 50, 100])
        if rng.random() < 0.7:
            p["NodeId"] = rng.randint(1000, 9999999)
        if rng.random() < 0.7:
            p["SearchKey"] = rand_str(rng, ALNUM, 1, 20)
        if rng.random() < 0.6:
            p["IsAllowQuit"] = rng.choice(["Allow", "Denied"])
        if rng.random() < 0.7:
            p["Enabled"] = rng.random() < 0.5
        if rng.random() < 0.5:
            p["MemberUin"] = rng.randint(100000000000, 999999999999)
        if rng.random() < 0.5:
            p["Negative"] = rng.randint(-100000, -1)
        return p
    if kind == "nested":
        p = {}
        choice = rng.randint(0, 4)
        if choice in (0, 4):
            p["Filters"] = [{"Name": rand_str(rng, string.ascii_letters, 1, 10),
                             "Values": [rand_str(rng, ALNUM, 1, 8) for _ in range(rng.randint(1, 3))]}
                            for _ in range(rng.randint(1, 3))]
        if choice in (1, 4):
            p["MemberUin"] = [rng.randint(1, 999999999999) for _ in range(rng.randint(1, 5))]
        if choice in (2, 4):
            p["Tags"] = [{"TagKey": rand_str(rng, ALNUM, 1, 8), "TagValue": rng.choice(UNICODE_WORDS + ["v1", ""])}
                         for _ in range(rng.randint(1, 3))]
        if choice == 3:
            p["NodeId"] = rng.randint(1, 99999)
            p["Policy"] = {"Statement": [{"Effect": "Allow", "Action": ["organization:*"],
                                          "Resource": ["*"], "Condition": {"Depth": {"Level": [1, [2, 3]]}}}],
                           "Version": "2.0"}
        if choice == 4:
            p["Matrix"] = [[1, 2], [], [3, [4, 5]]]
        return p
    if kind == "empty_values":
        p = {"Name": "", "MemberUins": [], "Limit": 10}
        if rng.random() < 0.5:
            p["Filters"] = [{"Name": "", "Values": []}]
        if rng.random() < 0.5:
            p["Extra"] = {}
        if rng.random() < 0.5:
            p["Remark"] = ""
        return p
    if kind == "unicode":
        p = {"Name": rng.choice(UNICODE_WORDS), "Remark": " ".join(rng.choice(UNICODE_WORDS) for _ in range(rng.randint(1, 4)))}
        if rng.random() < 0.5:
            p["Tags"] = [{"TagKey": rng.choice(UNICODE_WORDS), "TagValue": rng.choice(UNICODE_WORDS)}]
        if rng.random() < 0.3:
            p["NodeId"] = rng.randint(1, 1000)
        return p
    if kind == "urlchars":
        p = {"SearchKey": rng.choice(URL_STRINGS),
             "Remark": "".join(rng.choice(URL_CHARS + list("abc")) for _ in range(rng.randint(1, 20)))}
        if rng.random() < 0.5:
            p["Names"] = [rng.choice(URL_STRINGS) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            p["Json"] = json.dumps({"k": "v & w", "n": [1, 2]})
        return p
    if kind == "long":
        n = rng.choice([256, 1000, 2048, 4096, 8000])
        return {"PolicyDocument": rand_str(rng, ALNUM + " /+=&", n, n), "Limit": 10}
    if kind == "bigint":
        p = {"MemberUin": rng.choice(BIG_INTS), "Offset": 0}
        if rng.random() < 0.5:
            p["Uins"] = [rng.choice(BIG_INTS) for _ in range(rng.randint(1, 3))]
        return p
    if kind == "none":
        p = {"Limit": 10, "SearchKey": None}
        if rng.random() < 0.5:
            p["Filters"] = [{"Name": "a", "Values": None}, None, {"Name": None}]
        if rng.random() < 0.5:
            p["List"] = [1, None, 3]
        return p
    if kind == "float":
        p = {"Ratio": rng.choice(FLOATS), "Limit": 10}
        if rng.random() < 0.5:
            p["Weights"] = [rng.choice(FLOATS) for _ in range(rng.randint(1, 3))]
        return p
    if kind == "mixed":
        return {"Offset": 0, "Limit": 20, "Enabled": True, "Disabled": False,
                "Name": rng.choice(UNICODE_WORDS) + rng.choice(URL_STRINGS),
                "Ratio": rng.choice(FLOATS), "Empty": "", "EmptyList": [], "Nothing": None,
                "Nested": {"A": [1, {"B": rng.choice(URL_STRINGS)}], "C": rng.random() < 0.5}}
    raise ValueError(kind)


# ---------------------------------------------------------------------------
# Feature tagging (for filtering in the Rust tests / reporting)
# ---------------------------------------------------------------------------
def walk(v, tags, key=None):
    if key is not None and "_" in key:
        tags.add("underscore_key")
    if v is None:
        tags.add("none")
    elif isinstance(v, bool):
        tags.add("bool")
    elif isinstance(v, int):
        if abs(v) >= 2 ** 53:
            tags.add("bigint")
    elif isinstance(v, float):
        tags.add("float")
    elif isinstance(v, str):
        if v == "":
            tags.add("empty_string")
        if any(ord(c) > 127 for c in v):
            tags.add("unicode")
        if any(c in v for c in " &=+/?%#\"'\n"):
            tags.add("urlchars")
        if len(v) >= 1000:
            tags.add("long_string")
        if len(v) >= 100000:
            tags.add("large_100k")
        if len(v) >= 1000000:
            tags.add("large_1m")
    elif isinstance(v, list):
        if not v:
            tags.add("empty_list")
        else:
            tags.add("list")
        for x in v:
            if isinstance(x, dict):
                tags.add("list_of_objects")
            walk(x, tags, "[]")
    elif isinstance(v, dict):
        if not v and key is not None:
            tags.add("empty_object")
        for k, x in v.items():
            if key is not None or isinstance(x, dict):
                tags.add("nested")
            walk(x, tags, k)


def features_of(case):
    tags = set()
    if not case["params"]:
        tags.add("empty_params")
    walk(case["params"], tags, None)
    if case["token"] is not None:
        tags.add("token")
    if case["region"] is None:
        tags.add("no_region")
    if case["language"] is None:
        tags.add("no_language")
    if case["unsigned_payload"]:
        tags.add("unsigned_payload")
    if case["timestamp"] in SPECIAL_TIMESTAMPS:
        tags.add("special_timestamp")
    if ":" in case["host"]:
        tags.add("host_with_port")
    if case["host"] != case["host"].lower():
        tags.add("upper_case_host")
    if any(ord(c) > 127 for c in case["secret_key"]) or " " in case["secret_key"] \
            or any(c in PUNCT for c in case["secret_key"]):
        tags.add("unusual_secret_key")
    return sorted(tags)


# ---------------------------------------------------------------------------
# Driving the SDK
# ---------------------------------------------------------------------------
def run_sdk(spec):
    """Call the SDK for one case spec and return the captured expectation."""
    cred = credential.Credential(spec["secret_id"], spec["secret_key"], spec["token"])
    http_profile = HttpProfile(endpoint=spec["host"], reqMethod=spec["http_method"], protocol="http")
    profile = ClientProfile(signMethod=spec["sign_method"], httpProfile=http_profile,
                            language=spec["language"] or "en-US")
    profile.disable_region_breaker = True
    if spec["language"] is None:
        # ClientProfile() validates language against ["zh-CN", "en-US"]; the
        # signers only add Language/X-TC-Language when profile.language is truthy.
        profile.language = None
    if spec["unsigned_payload"]:
        profile.unsignedPayload = True
    # CommonClient refuses region=None; an empty region is what "no region" means
    # to the signers (`if self.region:`).
    client = CommonClient(SERVICE, spec["version"], cred, spec["region"] or "", profile)

    captured = {}
    orig_send = client.request.send_request

    def send_request(req_inter):
        captured["req_inter"] = req_inter
        captured["req_inter_snapshot"] = (req_inter.method, req_inter.host, req_inter.uri,
                                          req_inter.data, dict(req_inter.header))
        return orig_send(req_inter)

    def session_request(method=None, url=None, data=None, headers=None, **kwargs):
        captured["method"] = method
        captured["url"] = url
        captured["data"] = data
        captured["headers"] = dict(headers)
        return FakeResponse()

    client.request.send_request = send_request
    client.request.conn._session.request = session_request

    params_in = copy.deepcopy(spec["params"])
    with mock.patch("tencentcloud.common.abstract_client.time.time", return_value=float(spec["timestamp"])), \
            mock.patch("tencentcloud.common.abstract_client.random.randint",
                       return_value=spec["nonce"] if spec["nonce"] is not None else 1):
        resp = client.call_json(spec["action"], params_in, headers={"X-TC-TraceId": TRACE_ID})
    assert resp == {"Response": {"RequestId": "x"}}, resp
    assert params_in == spec["params"], "SDK mutated params"

    method, url, data, headers = captured["method"], captured["url"], captured["data"], captured["headers"]
    ri_method, ri_host, ri_uri, ri_data, ri_header = captured["req_inter_snapshot"]
    assert method == ri_method == spec["http_method"]
    assert ri_host == spec["host"] and ri_uri == "/"
    assert headers.pop("X-TC-TraceId") == TRACE_ID

    # The request line requests would send for the URL the SDK built.
    prepared = requests.Request(method, url, data=data, headers=headers).prepare()
    path_and_query = prepared.path_url
    if method == "GET":
        assert data is None
        assert path_and_query == ("/?" + ri_data if ri_data else "/"), (path_and_query, ri_data)
        body = ""
    else:
        assert data == ri_data
        assert path_and_query == "/"
        body = data
    assert isinstance(body, str)

    request_client = client.request_client
    if spec["sign_method"] == "TC3-HMAC-SHA256":
        assert headers["X-TC-RequestClient"] == request_client
    return {
        "request_client": request_client,
        "expected": {
            "method": method,
            "url_path_and_query": path_and_query,
            "headers": headers,
            "body": body,
        },
    }


def build_case(case_id, spec):
    out = run_sdk(spec)
    case = {
        "id": case_id,
        "sign_method": spec["sign_method"],
        "http_method": spec["http_method"],
        "host": spec["host"],
        "service": SERVICE,
        "action": spec["action"],
        "version": spec["version"],
        "region": spec["region"],
        "language": spec["language"],
        "token": spec["token"],
        "secret_id": spec["secret_id"],
        "secret_key": spec["secret_key"],
        "timestamp": spec["timestamp"],
        "nonce": spec["nonce"],
        "unsigned_payload": spec["unsigned_payload"],
        "request_client": out["request_client"],
        "params": spec["params"],
        "features": [],
        "expected": out["expected"],
    }
    case["features"] = features_of(case)
    return case


PLAN = [
    # (sign_method, http_method, count, unsigned_count)
    ("TC3-HMAC-SHA256", "POST", 330, 24),
    ("TC3-HMAC-SHA256", "GET", 270, 16),
    ("HmacSHA1", "POST", 150, 0),
    ("HmacSHA1", "GET", 150, 0),
    ("HmacSHA256", "POST", 150, 0),
    ("HmacSHA256", "GET", 150, 0),
]
ID_PREFIX = {"TC3-HMAC-SHA256": "tc3", "HmacSHA1": "hmacsha1", "HmacSHA256": "hmacsha256"}


def random_spec(rng, sign_method, http_method, index, actions, objects, key_counter):
    version = rng.choice(sorted(actions))
    action = rng.choice(sorted(actions[version]))
    kind = PARAM_KINDS[index % len(PARAM_KINDS)]
    params = make_params(rng, kind, actions[version][action], objects[version])
    if index % 37 == 5 and params is not None:
        # keys with '_' : the v1 string-to-sign replaces '_' by '.', the form does not
        params = dict(params)
        params["Tag_Key"] = rand_str(rng, ALNUM, 1, 8)
        params["Inner"] = {"Sub_Field": rng.randint(0, 9)}
    if index % 4 == 0 or rng.random() < 0.6:
        ts = rng.randint(1546300800, 1924991999)  # 2019-01-01 .. 2030-12-31
    else:
        ts = rng.choice(SPECIAL_TIMESTAMPS)
    nonce = None
    if sign_method != "TC3-HMAC-SHA256":
        r = rng.random()
        if index == 0:
            nonce = 1
        elif index == 1:
            nonce = sys.maxsize
        elif r < 0.5:
            nonce = rng.randint(1, 99999)
        else:
            nonce = rng.randint(1, sys.maxsize)
    key_counter[0] += 1
    return {
        "sign_method": sign_method,
        "http_method": http_method,
        "host": weighted(rng, HOSTS),
        "action": action,
        "version": version,
        "region": rng.choice(REGIONS) if rng.random() < 0.7 else None,
        "language": weighted(rng, [("en-US", 40), ("zh-CN", 30), (None, 30)]),
        "token": make_token(rng) if rng.random() < 0.25 else None,
        "secret_id": make_secret_id(rng),
        "secret_key": make_secret_key(rng, key_counter[0]),
        "timestamp": ts,
        "nonce": nonce,
        "unsigned_payload": False,
        "params": params,
    }


def generate(reference_dir):
    rng = random.Random(SEED)
    actions, objects = load_catalogue(reference_dir)
    key_counter = [0]
    cases = []
    for sign_method, http_method, count, unsigned in PLAN:
        prefix = "%s-%s" % (ID_PREFIX[sign_method], http_method.lower())
        for i in range(count):
            spec = random_spec(rng, sign_method, http_method, i, actions, objects, key_counter)
            # spread unsigned-payload cases evenly over the run
            if unsigned and i % (count // unsigned) == 3 and i // (count // unsigned) < unsigned:
                spec["unsigned_payload"] = True
            cases.append(build_case("%s-%04d" % (prefix, i + 1), spec))

    # Fixed, hand-picked cases: the documented example and the large bodies.
    fixed = []
    doc = {
        "sign_method": "TC3-HMAC-SHA256", "http_method": "POST",
        "host": "organization.intl.tencentcloudapi.com", "action": "DescribeOrganization",
        "version": "2021-03-31", "region": None, "language": None, "token": None,
        "secret_id": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "secret_key": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        "timestamp": 1551113065, "nonce": None, "unsigned_payload": False, "params": {},
    }
    fixed.append(("fixed-tc3-post-doc-empty", doc))
    for sm, hm in [("TC3-HMAC-SHA256", "GET"), ("HmacSHA1", "POST"), ("HmacSHA1", "GET"),
                   ("HmacSHA256", "POST"), ("HmacSHA256", "GET")]:
        d = dict(doc, sign_method=sm, http_method=hm, params={"Limit": 10, "Offset": 0},
                 nonce=None if sm == "TC3-HMAC-SHA256" else 11886, region="ap-guangzhou",
                 language="en-US")
        fixed.append(("fixed-%s-%s-doc" % (ID_PREFIX[sm], hm.lower()), d))
    # Large bodies
    big_rng = random.Random(SEED + 1)
    s100k = big_ascii(big_rng, 100 * 1024)
    s1m = big_ascii(big_rng, 1000 * 1000)
    zh = "".join(big_rng.choice("组织成员腾讯云测试节点部门财务") for _ in range(20000))
    large = [
        ("large-tc3-post-100k", "TC3-HMAC-SHA256", "POST", {"PolicyDocument": s100k, "Limit": 1}, False),
        ("large-tc3-post-100k-unsigned", "TC3-HMAC-SHA256", "POST", {"PolicyDocument": s100k}, True),
        ("large-tc3-post-1m", "TC3-HMAC-SHA256", "POST", {"Content": s1m}, False),
        ("large-tc3-post-zh-60k", "TC3-HMAC-SHA256", "POST", {"Remark": zh}, False),
        ("large-tc3-get-100k", "TC3-HMAC-SHA256", "GET", {"SearchKey": s100k[:50000] + " &=+/?%#"}, False),
        ("large-hmacsha1-post-100k", "HmacSHA1", "POST", {"PolicyDocument": s100k}, False),
        ("large-hmacsha256-post-100k", "HmacSHA256", "POST", {"PolicyDocument": s100k + "中文 & ="}, False),
    ]
    for cid, sm, hm, params, unsigned in large:
        d = dict(doc, sign_method=sm, http_method=hm, params=params, unsigned_payload=unsigned,
                 action="CreatePolicy", region="ap-singapore", language="en-US",
                 nonce=None if sm == "TC3-HMAC-SHA256" else 424242, timestamp=1767225600)
        fixed.append((cid, d))
    for cid, spec in fixed:
        cases.append(build_case(cid, spec))

    # Upper-case hosts: kept out of the main array on purpose.
    compat = []
    combos = [("TC3-HMAC-SHA256", "POST"), ("TC3-HMAC-SHA256", "GET"), ("HmacSHA1", "POST"),
              ("HmacSHA256", "GET"), ("TC3-HMAC-SHA256", "POST")]
    for i, (host, (sm, hm)) in enumerate(zip(UPPER_HOSTS, combos)):
        spec = random_spec(rng, sm, hm, 2 + i, actions, objects, key_counter)
        spec["host"] = host
        compat.append(build_case("compat-upper-%04d" % (i + 1), spec))

    ids = [c["id"] for c in cases + compat]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for c in cases:
        assert c["host"] == c["host"].lower()
    return {
        "generator": "tools/signing-corpus/make_corpus.py",
        "sdk": "%s %s" % (SDK_PACKAGE, SDK_VERSION),
        "cases": cases,
        "compat_upper_case_host": compat,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "crates", "sign", "tests", "data", "signing-corpus.json"))
    ap.add_argument("--reference-dir", default=DEFAULT_REFERENCE_DIR,
                    help="directory with v20181225/api.json and v20210331/api.json (default: %(default)s)")
    args = ap.parse_args()
    if tencentcloud.__version__ != SDK_VERSION:
        sys.exit("expected %s==%s, found %s" % (SDK_PACKAGE, SDK_VERSION, tencentcloud.__version__))
    corpus = generate(args.reference_dir)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        json.dump(corpus, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote %d cases (+%d compat) to %s (%d bytes)" % (
        len(corpus["cases"]), len(corpus["compat_upper_case_host"]), args.out, os.path.getsize(args.out)))


if __name__ == "__main__":
    main()
