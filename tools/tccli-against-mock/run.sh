#!/usr/bin/env bash
# tccli (tccli-intl-en, pinned in requirements.txt beside this script) against `tco-harness mock`,
# unchanged but for --endpoint: 127.0.0.1:PORT and localhost:PORT, TC3 (tccli's only method).
#
# Usage: pip install -r tools/tccli-against-mock/requirements.txt
#        bash tools/tccli-against-mock/run.sh [path/to/tco-harness]
# One PASS/FAIL line per check; exit 1 if any failed, 2 if tccli or the binary is missing.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${1:-}"
if [[ -z "$bin" ]]; then
  for candidate in "$root/target/release/tco-harness" "$root/target/debug/tco-harness"; do
    [[ -x "$candidate" ]] && bin="$candidate" && break
  done
fi
[[ -x "$bin" ]] || { echo "no tco-harness binary; run cargo build first" >&2; exit 2; }
command -v tccli >/dev/null || { echo "no tccli on PATH; pip install -r $(dirname "$0")/requirements.txt" >&2; exit 2; }

# The mock's built-in test account unless the environment names one (the mock then uses it too).
if [[ -z "${TENCENTCLOUD_SECRET_ID:-}" || -z "${TENCENTCLOUD_SECRET_KEY:-}" ]]; then
  unset TENCENTCLOUD_SECRET_ID TENCENTCLOUD_SECRET_KEY
  id=AKIDMockDefaultAccount00000000000000
  key=tco-harness-mock-default-secret-key
else
  id=$TENCENTCLOUD_SECRET_ID
  key=$TENCENTCLOUD_SECRET_KEY
fi

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$bin" mock --listen 127.0.0.1:0 >"$out" &
mock=$!
for _ in $(seq 100); do grep -q '^listening on ' "$out" && break; sleep 0.1; done
url="$(sed -n 's/^listening on //p' "$out")"
port="${url##*:}"
[[ -n "$port" ]] || { echo "the mock announced no address" >&2; kill "$mock"; exit 1; }

failures=0
check() { # name, command output, expected substring
  if grep -q -- "$3" <<<"$2"; then echo "PASS $1"; else echo "FAIL $1: $2"; failures=$((failures + 1)); fi
}
call() { # endpoint, secret key, action
  tccli organization "$3" --version 2021-03-31 --region ap-guangzhou \
    --endpoint "$1" --secretId "$id" --secretKey "$2" 2>&1
}

check "CreateOrganization via 127.0.0.1:$port" "$(call "http://127.0.0.1:$port" "$key" CreateOrganization)" '"OrgId"'
for host in "127.0.0.1:$port" "localhost:$port"; do
  check "DescribeOrganization via $host" "$(call "http://$host" "$key" DescribeOrganization)" '"HostUin"'
  check "a wrong key via $host is refused" "$(call "http://$host" not-the-key DescribeOrganization)" 'AuthFailure.SignatureFailure'
done

kill -TERM "$mock"
wait "$mock"
status=$?
check "the mock exits 0 on SIGTERM" "exit $status" "exit 0"
[[ $failures -eq 0 ]] || exit 1
