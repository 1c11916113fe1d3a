//! TC3 sign and verify at three body sizes, with and without the derived-key cache; and, for a
//! 26-byte body, `tco_sign::build` and `Verifier::verify` beside the bare chain (`bench_sign`,
//! only the work no signer can skip) and the crypto alone.
//!
//! The baseline of the size rows is hashing the body alone (SHA-256); the 26-byte rows are
//! reported as ratios to `bare_chain`. Run: `cargo bench --manifest-path tools/bench/sign/Cargo.toml`.

use bench_sign::{Fixture, Row};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tco_sign::tc3::{self, CanonicalInput, Payload, ValueCase};
use tco_sign::{utc_date, Credentials, Incoming, KeyCache, Verifier};

const HOST: &str = "organization.intl.tencentcloudapi.com";
const TIMESTAMP: i64 = 1_700_000_000;
const SIZES: [(&str, usize); 3] = [("100B", 100), ("10KB", 10 * 1024), ("1MB", 1024 * 1024)];

fn input(body: &[u8]) -> CanonicalInput<'_> {
    CanonicalInput {
        method: "POST",
        path: "/",
        query: "",
        headers: &[("content-type", "application/json"), ("host", HOST)],
        payload: Payload::Bytes(body),
        value_case: ValueCase::Lower,
    }
}

fn body(len: usize) -> Vec<u8> {
    let mut b = br#"{"Name": ""#.to_vec();
    b.resize(len.saturating_sub(2), b'a');
    b.extend_from_slice(br#""}"#);
    b
}

fn bench(c: &mut Criterion) {
    let creds = Credentials::new("AKIDbench", "bench-secret-key");
    let date = utc_date(TIMESTAMP);
    let mut group = c.benchmark_group("tc3");
    // Panics unless the bare chain's Authorization is byte-identical to build's.
    let fixture = Fixture::new();
    group.throughput(Throughput::Bytes(bench_sign::BODY_26.len() as u64));
    for row in Row::ALL {
        group.bench_with_input(BenchmarkId::new(row.name(), "26B"), &row, |b, row| {
            b.iter(|| fixture.run(black_box(*row)))
        });
    }
    for (label, len) in SIZES {
        let body = body(len);
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_with_input(
            BenchmarkId::new("baseline_sha256", label),
            &body,
            |b, body| b.iter(|| tc3::sha256_hex(black_box(body))),
        );
        group.bench_with_input(
            BenchmarkId::new("sign_uncached", label),
            &body,
            |b, body| {
                b.iter(|| {
                    tc3::sign(
                        &input(black_box(body)),
                        TIMESTAMP,
                        "organization",
                        creds.secret_id(),
                        creds.secret_key(),
                    )
                })
            },
        );
        let cache = KeyCache::default();
        group.bench_with_input(BenchmarkId::new("sign_cached", label), &body, |b, body| {
            b.iter(|| {
                let key = cache.signing_key(creds.secret_key(), &date, "organization");
                tc3::sign_with_key(
                    &input(black_box(body)),
                    TIMESTAMP,
                    "organization",
                    creds.secret_id(),
                    &key,
                )
            })
        });
        let sig = tc3::sign(
            &input(&body),
            TIMESTAMP,
            "organization",
            creds.secret_id(),
            creds.secret_key(),
        );
        let ts = TIMESTAMP.to_string();
        let headers = [
            ("Content-Type", "application/json"),
            ("Host", HOST),
            ("X-TC-Timestamp", ts.as_str()),
            ("Authorization", sig.authorization.as_str()),
        ];
        let incoming = Incoming {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: &body,
        };
        for (name, keys) in [
            ("verify_cached", KeyCache::default()),
            ("verify_uncached", KeyCache::disabled()),
        ] {
            let verifier = Verifier::new(vec![creds.clone()], "organization").with_key_cache(keys);
            group.bench_with_input(BenchmarkId::new(name, label), &incoming, |b, req| {
                b.iter(|| verifier.verify(black_box(req), TIMESTAMP).expect("valid"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
