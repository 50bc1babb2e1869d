#!/usr/bin/env bats
# limits.bats - absurd but valid values: the smallest file, a chunk as
# large as the file, a thousand runs, more chunk sizes or runs than the
# tool keeps, sizes near the filesystem's and the machine's limits.  Each
# either works or is refused before anything is created, with the
# reason and the figures; none crashes or allocates without bound.

load common

@test "a 1-byte file: every method writes it and reads it, verified" {
	run --separate-stderr "$MMAPTIMER" write --size 1 --chunks 1 --methods all --runs 1 --quiet --format json
	assert_status 0
	jq -e '[.results[] | select(.available)] | length >= 9 and all(.verified != false)' <<<"$output" >/dev/null ||
		fail "$output"
	run --separate-stderr "$MMAPTIMER" read --size 1 --chunks 1 --methods all --runs 1 --quiet --format json
	assert_status 0
	jq -e '[.results[] | select(.available)] | length >= 5 and all(.verified != false)' <<<"$output" >/dev/null ||
		fail "$output"
	assert_dir_empty "$WORK"
}

@test "a chunk equal to the size: every method, write and read, verified" {
	local op
	for op in write read; do
		run --separate-stderr "$MMAPTIMER" "$op" --size 1M --chunks 1M --methods all --runs 1 --quiet --format json
		assert_status 0
		jq -e 'all(.results[] | select(.available); .verified != false and .chunk == 1048576)' <<<"$output" >/dev/null ||
			fail "$op: $output"
	done
	assert_dir_empty "$WORK"
}

@test "1000 runs of a 1-byte file: all recorded, write and read" {
	run --separate-stderr "$MMAPTIMER" write --size 1 --chunks 1 --methods write --runs 1000 --quiet --format json
	assert_status 0
	[ "$(jq '.results[0].seconds | length' <<<"$output")" -eq 1000 ] || fail "not 1000 runs recorded"
	run --separate-stderr "$MMAPTIMER" read --size 1 --chunks 1 --methods mmap --runs 1000 --quiet --format json
	assert_status 0
	[ "$(jq '.results[0].seconds | length' <<<"$output")" -eq 1000 ] || fail "not 1000 runs recorded"
	assert_dir_empty "$WORK"
}

@test "more than a million runs to record in all: refused up front with the arithmetic" {
	run --separate-stderr "$MMAPTIMER" --size 1M --chunks 1:1M --methods mmap,write,pwrite --runs 100000
	assert_usage_error "mmaptimer: 21 chunk sizes x 3 methods x 100000 runs is 6.3e+06 runs to record, more than 1000000: ask for fewer"
	run --separate-stderr "$MMAPTIMER" read --size 1M --chunks 1:1M --methods mmap,read --runs 100000
	assert_usage_error "mmaptimer: 21 chunk sizes x 2 methods x 100000 runs is 4.2e+06 runs to record, more than 1000000: ask for fewer"
}

@test "chunk lists: 20000 sizes refused at once; 20000 repeats of one size are one size" {
	local many ones
	many=$(seq -s, 1 20000)
	run --separate-stderr "$MMAPTIMER" --size 1M --chunks "$many" --runs 1
	assert_usage_error
	assert_stderr_contains "longer than 4096 sizes"
	ones=$(printf '1,%.0s' $(seq 1 20000))1
	run --separate-stderr "$MMAPTIMER" --size 1K --chunks "$ones" --methods write --runs 1 --quiet --format json
	assert_status 0
	[ "$(jq -c .config.chunks <<<"$output")" = "[1]" ] || fail "$(jq -c .config.chunks <<<"$output")"
	# A million sizes cannot even be passed: the kernel refuses an
	# argument over 128 KiB before the tool starts (so the parser is
	# tested with a million in the unit tests instead).
	assert_dir_empty "$WORK"
}

@test "a size near the 63-bit limit: refused up front with the free space, write and read" {
	local op
	for op in write read; do
		run --separate-stderr "$MMAPTIMER" "$op" --size 8388607T --chunks 1M --runs 1 --quiet
		assert_status 1
		assert_no_stdout
		assert_stderr_contains "not enough free space in '.' for a 8.00 EiB file ("
		assert_stderr_contains "available): No space left on device"
	done
	# One more and it is not a size at all.
	run --separate-stderr "$MMAPTIMER" --size 8388608T
	assert_usage_error
	assert_dir_empty "$WORK"
}

@test "a chunk needing more than half the memory: refused up front with the figures" {
	local kb
	kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
	[ -n "$kb" ] || skip "no MemTotal in /proc/meminfo"
	# Three quarters of the memory as one chunk (and the file).
	run --separate-stderr "$MMAPTIMER" --size "$((kb * 3 / 4))K" --chunks "$((kb * 3 / 4))K" --runs 1 --quiet
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "need "
	assert_stderr_contains "of buffers, more than half of this machine's "
	assert_stderr_contains "of memory: use smaller chunks"
	# uring reads keep a chunk per request in flight.
	run --separate-stderr "$MMAPTIMER" read --size 1G --chunks 1G --methods uring --queue-depth 4096 --runs 1 --quiet
	assert_status 1
	assert_stderr_contains "chunks of 1 GiB need 4.00 TiB of buffers"
	assert_stderr_contains "or a lower --queue-depth"
	assert_dir_empty "$WORK"
}
