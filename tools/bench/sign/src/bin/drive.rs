//! Runs the 26-byte rows in a plain loop and prints `row ns_per_op` per line, in CPU time of
//! the calling thread (not wall time), so a busy machine slows it less than it does a wall clock.
//!
//! `drive [--iters N] [--only ROW]`. With `--only` under `valgrind --tool=callgrind` it gives
//! instruction counts that do not depend on the machine's load; `compare.py` runs two builds of
//! it (before and after) alternately.

use std::hint::black_box;

use bench_sign::{Fixture, Row};

fn main() {
    let mut iters: u64 = 200_000;
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--iters", Some(n)) => iters = n.parse().unwrap_or_else(|_| usage("--iters N")),
            ("--only", Some(row)) => only = Some(row),
            _ => usage("unknown argument"),
        }
    }
    if only
        .as_deref()
        .is_some_and(|o| !Row::ALL.iter().any(|r| r.name() == o))
    {
        usage("unknown row");
    }
    let fixture = Fixture::new();
    for row in Row::ALL {
        if only.as_deref().is_some_and(|o| o != row.name()) {
            continue;
        }
        let start = thread_cpu_ns();
        let mut sink = 0usize;
        for _ in 0..iters {
            sink = sink.wrapping_add(fixture.run(black_box(row)));
        }
        let ns = (thread_cpu_ns() - start) as f64 / iters as f64;
        black_box(sink);
        println!("{} {ns:.1}", row.name());
    }
}

/// CPU time consumed by this thread, in nanoseconds.
fn thread_cpu_ns() -> u128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant the kernel knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "CLOCK_THREAD_CPUTIME_ID is available on Linux");
    ts.tv_sec as u128 * 1_000_000_000 + ts.tv_nsec as u128
}

fn usage(why: &str) -> ! {
    eprintln!("drive: {why}; usage: drive [--iters N] [--only ROW]");
    std::process::exit(2);
}
