//! The reference client against the in-process mock, every action, and the README's example of
//! the mock in a user's own tests: one test binary, one module each.

mod client_mock;
mod readme_mock_seed;
