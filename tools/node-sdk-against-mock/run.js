#!/usr/bin/env node
// The official Node.js SDK (tencentcloud-sdk-nodejs-intl-en) against `tco-harness mock`,
// unchanged: TC3-HMAC-SHA256 and HmacSHA256, with the endpoint written as 127.0.0.1:PORT,
// localhost:PORT and organization.localhost:PORT; then the same TC3 calls against a mock
// started with --strict-signatures, which must refuse them.
//
// Usage: npm install && node run.js [path/to/tco-harness]
// Prints one PASS/FAIL line per check; exits 1 if any failed, 2 if the binary is missing.
"use strict";

const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const dns = require("dns").promises;
const readline = require("readline");
const tencentcloud = require("tencentcloud-sdk-nodejs-intl-en");

const { Credential, ClientProfile, HttpProfile } = tencentcloud.common;
const Organization = tencentcloud.organization.v20210331.Client;

// The mock's built-in test account (crates/mock/src/config/account.rs), unless the environment
// gives credentials, which the mock then uses too.
const SECRET_ID = process.env.TENCENTCLOUD_SECRET_ID || "AKIDMockDefaultAccount00000000000000";
const SECRET_KEY = process.env.TENCENTCLOUD_SECRET_KEY || "tco-harness-mock-default-secret-key";
const fromEnvironment = Boolean(process.env.TENCENTCLOUD_SECRET_ID && process.env.TENCENTCLOUD_SECRET_KEY);

let failures = 0;
function check(name, ok, detail) {
  if (!ok) failures += 1;
  console.log(`${ok ? "PASS" : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

function binary() {
  const given = process.argv[2];
  const root = path.resolve(__dirname, "..", "..");
  const candidates = given
    ? [given]
    : ["release", "debug"].map((p) => path.join(root, "target", p, "tco-harness"));
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) {
    console.error(`no tco-harness binary (tried ${candidates.join(", ")}); run cargo build first`);
    process.exit(2);
  }
  return found;
}

// Starts a mock on a free port; resolves with the child and its port.
function startMock(extra) {
  const env = { ...process.env };
  if (!fromEnvironment) {
    delete env.TENCENTCLOUD_SECRET_ID;
    delete env.TENCENTCLOUD_SECRET_KEY;
  }
  const child = spawn(binary(), ["mock", "--listen", "127.0.0.1:0", ...extra], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      const match = /^listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line.trim());
      if (match) resolve({ child, port: Number(match[1]) });
      else reject(new Error(`unexpected first line ${JSON.stringify(line)}`));
    });
    child.once("exit", (code) => reject(new Error(`the mock exited with ${code}`)));
  });
}

function stopMock(child) {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

async function resolves(name) {
  try {
    await dns.lookup(name);
    return true;
  } catch {
    return false;
  }
}

function client(endpoint, signMethod, secretKey = SECRET_KEY) {
  const http = new HttpProfile();
  http.protocol = "http://";
  http.endpoint = endpoint;
  const profile = new ClientProfile();
  profile.signMethod = signMethod;
  profile.httpProfile = http;
  return new Organization(new Credential(SECRET_ID, secretKey), "", profile);
}

// Resolves with the Response members, or with { code } for an API error.
function call(c, action, params = {}) {
  return new Promise((resolve) => {
    c[action](params, (error, response) => {
      if (error) resolve({ code: error.code || String(error.message || error) });
      else resolve(response);
    });
  });
}

async function main() {
  const lenient = await startMock([]);
  const { port } = lenient;
  const endpoints = [`127.0.0.1:${port}`, `localhost:${port}`];
  // *.localhost resolves only where the resolver knows it (systemd's nss-myhostname, or a
  // hosts entry such as "127.0.0.1 organization.localhost").
  if (await resolves("organization.localhost")) endpoints.push(`organization.localhost:${port}`);
  else console.log("SKIP organization.localhost: the name does not resolve here (add it to /etc/hosts)");
  const created = await call(client(endpoints[0], "TC3-HMAC-SHA256"), "CreateOrganization");
  check("TC3 CreateOrganization via 127.0.0.1", Number.isInteger(created.OrgId), JSON.stringify(created));
  for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
    for (const endpoint of endpoints) {
      const described = await call(client(endpoint, signMethod), "DescribeOrganization");
      check(
        `${signMethod} DescribeOrganization via ${endpoint}`,
        described.OrgId === created.OrgId,
        JSON.stringify(described),
      );
      const wrong = await call(client(endpoint, signMethod, "not-the-key"), "DescribeOrganization");
      check(
        `${signMethod} with a wrong key via ${endpoint} is refused`,
        wrong.code === "AuthFailure.SignatureFailure",
        JSON.stringify(wrong),
      );
    }
  }
  check("the mock exits 0 on SIGTERM", (await stopMock(lenient.child)) === 0);

  const strict = await startMock(["--strict-signatures"]);
  const strictEndpoint = `127.0.0.1:${strict.port}`;
  const tc3 = await call(client(strictEndpoint, "TC3-HMAC-SHA256"), "DescribeOrganization");
  check(
    "strict mode refuses the SDK's TC3 signature",
    tc3.code === "AuthFailure.SignatureFailure",
    JSON.stringify(tc3),
  );
  const v1 = await call(client(strictEndpoint, "HmacSHA256"), "CreateOrganization");
  check("strict mode still accepts HmacSHA256", Number.isInteger(v1.OrgId), JSON.stringify(v1));
  check("the strict mock exits 0 on SIGTERM", (await stopMock(strict.child)) === 0);

  process.exit(failures === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
