//! Runs the 26-byte rows, taking turns, and prints `row ns_per_op` per line, in CPU time of
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
    let rows: Vec<Row> = Row::ALL
        .into_iter()
        .filter(|row| only.as_deref().is_none_or(|o| o == row.name()))
        .collect();
    // The rows take turns in short chunks, so a change in the machine's load during the run
    // falls on all of them alike and their ratios keep still.
    let mut spent = vec![0u128; rows.len()];
    let mut sink = 0usize;
    let mut done = 0;
    while done < iters {
        let chunk = CHUNK.min(iters - done);
        for (row, spent) in rows.iter().zip(&mut spent) {
            let start = thread_cpu_ns();
            for _ in 0..chunk {
                sink = sink.wrapping_add(fixture.run(black_box(*row)));
            }
            *spent += thread_cpu_ns() - start;
        }
        done += chunk;
    }
    black_box(sink);
    for (row, spent) in rows.iter().zip(spent) {
        println!("{} {:.1}", row.name(), spent as f64 / iters as f64);
    }
}

/// Iterations of one row before the next row's turn: about a millisecond.
const CHUNK: u64 = 400;

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
