//! Filled in as this part of Identity Center becomes stateful (issue 11, second part).
