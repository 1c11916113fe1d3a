module tco-harness/tools/go-sdk-against-mock

go 1.19

// Versions are resolved by `go mod tidy` (run.sh does it on first use) and recorded in go.sum.
// They are not pinned here: the Go module proxy was unreachable where this recipe was written,
// so no version could be checked (see run.sh's header).
