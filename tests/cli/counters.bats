#!/usr/bin/env bats
# counters.bats - the counts that explain a point: the write() calls the
# write method really issues (seen by strace), the page faults and system
# calls of mmap, and the syscall counts reported for each method.  Counts,
# never speed.

load common

# need_strace: skip unless strace exists and may trace here.
need_strace() {
	command -v strace >/dev/null || skip "strace is not installed"
	strace -f -o /dev/null true 2>/dev/null || skip "ptrace is not permitted here (strace fails)"
}

@test "write with 4K chunks issues exactly 2560 write() calls of 4096 bytes for 10M" {
	need_strace
	# LeakSanitizer cannot run under ptrace; the sanitizer build's other
	# checks stay on.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 run --separate-stderr \
		strace -f -o "$BATS_TEST_TMPDIR/strace.log" -e trace=write \
		"$MMAPTIMER" --size 10M --chunks 4K --methods write --runs 1 --quiet --format csv
	assert_status 0
	[ "${#lines[@]}" -eq 2 ] || fail "expected a CSV header and one row: $output"
	local ok all
	ok=$(grep -c ', 4096) = 4096$' "$BATS_TEST_TMPDIR/strace.log" || true)
	all=$(grep -cE 'write\([0-9]+, .*, 4096\) = ' "$BATS_TEST_TMPDIR/strace.log" || true)
	[ "$ok" -eq 2560 ] || fail "expected 2560 write() calls of 4096 bytes returning 4096, got $ok"
	[ "$all" -eq 2560 ] || fail "expected 2560 write() calls of 4096 bytes in all, got $all"
	# The tool reports the same count: 2560 writes, plus open and close.
	[ "$(cut -d, -f12 <<<"${lines[1]}")" = 2562 ] || fail "reported syscalls: ${lines[1]}"
	assert_dir_empty "$WORK"
}

@test "mmap with 4K chunks over 10M: faults between 1 and 2624, syscalls 5" {
	run --separate-stderr "$MMAPTIMER" --size 10M --chunks 4K --methods mmap --runs 1 --quiet --format json
	assert_status 0
	local json=$output faults
	# open, ftruncate, mmap, munmap, close
	run jq -e '.results | length == 1 and .[0].method == "mmap" and .[0].counters.syscalls == 5' <<<"$json"
	[ "$status" -eq 0 ] || fail "syscalls is not 5: $(jq -c '.results[0].counters' <<<"$json")"
	faults=$(jq '.results[0].counters | .minflt + .majflt' <<<"$json")
	[ "$faults" -ge 1 ] && [ "$faults" -le $((2560 + 64)) ] ||
		fail "minflt + majflt = $faults, expected 1 .. $((2560 + 64))"
	assert_dir_empty "$WORK"
}

@test "syscall counts: write issues size/chunk writes plus open and close; null none" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1,4K,64K,3 --methods all --runs 1 --quiet --format json
	assert_status 0
	local got
	got=$(jq -c '[.results[] | [.method, .chunk, .counters.syscalls]] | sort' <<<"$output")
	# 64K / 3 = 21845 full chunks and one short chunk of 1 byte.
	[ "$got" = '[["mmap",1,5],["mmap",3,5],["mmap",4096,5],["mmap",65536,5],["null",1,0],["null",3,0],["null",4096,0],["null",65536,0],["write",1,65538],["write",3,21848],["write",4096,18],["write",65536,3]]' ] ||
		fail "syscall counts: $got"
	# Counters are whole numbers or seconds, never negative.
	run jq -e 'all(.results[].counters[]; type == "number" and . >= 0)' <<<"$output"
	[ "$status" -eq 0 ] || fail "a negative or non-numeric counter"
}
