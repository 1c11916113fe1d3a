//! Empty: the benchmark is `benches/tc3.rs`.
