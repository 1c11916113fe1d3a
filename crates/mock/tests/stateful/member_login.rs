//! Filled in as the area becomes stateful.
