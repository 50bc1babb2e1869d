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

@test "syscall counts: every method's exact count at 64K; null none; direct n/a off alignment" {
	skip_under_valgrind "valgrind makes system calls of its own in the process"
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1,4K,64K,3 --methods all --runs 1 --quiet --format json
	assert_status 0
	local json=$output got
	got=$(jq -c '[.results[] | select(.method != "stdio" and .method != "uring") | [.method, .chunk, .counters.syscalls]] | sort' <<<"$json")
	# 64K / 3 = 21845 full chunks and one short chunk of 1 byte.
	# write, pwrite, direct: open, one call per chunk, close; writev and
	# pwritev: 16 chunks per call; mmap, mmap-falloc: open, ftruncate or
	# fallocate, mmap, munmap, close; mmap-populate: and one madvise.
	# direct cannot run 1 B and 3 B chunks (O_DIRECT alignment): null.
	[ "$got" = '[["direct",1,null],["direct",3,null],["direct",4096,18],["direct",65536,3],["mmap",1,5],["mmap",3,5],["mmap",4096,5],["mmap",65536,5],["mmap-falloc",1,5],["mmap-falloc",3,5],["mmap-falloc",4096,5],["mmap-falloc",65536,5],["mmap-populate",1,6],["mmap-populate",3,6],["mmap-populate",4096,6],["mmap-populate",65536,6],["null",1,0],["null",3,0],["null",4096,0],["null",65536,0],["pwrite",1,65538],["pwrite",3,21848],["pwrite",4096,18],["pwrite",65536,3],["pwritev",1,4098],["pwritev",3,1368],["pwritev",4096,3],["pwritev",65536,3],["write",1,65538],["write",3,21848],["write",4096,18],["write",65536,3],["writev",1,4098],["writev",3,1368],["writev",4096,3],["writev",65536,3]]' ] ||
		fail "syscall counts: $got"
	# stdio: open, fcntl (fdopen), fstat (the buffer size), close and the
	# library's write() calls: at least one, at most one per st_blksize
	# bytes plus one (exact counts are compared with strace below).
	local blk
	blk=$(stat -c %o .)
	run jq -e --argjson blk "$blk" '[.results[] | select(.method == "stdio") | .counters.syscalls] |
		length == 4 and all(.[]; . >= 5 and . <= 4 + (65536 / $blk | ceil) + 1)' <<<"$json"
	[ "$status" -eq 0 ] || fail "stdio counts: $(jq -c '[.results[] | select(.method == "stdio") | [.chunk, .counters.syscalls]]' <<<"$json")"
	# uring, when it can run: open, io_uring_setup and 2 or 3 ring mmaps,
	# one io_uring_enter per batch of at most 8 (the queue depth) and at
	# most one per request, 2 or 3 munmaps and 2 closes.
	run jq -e '[.results[] | select(.method == "uring" and .available) |
		((65536 / .chunk) | ceil) as $n | .counters.syscalls as $c |
		$c >= 1 + 3 + (($n / 8) | ceil) + 3 + 1 and $c <= 1 + 4 + $n + 4 + 1] | all' <<<"$json"
	[ "$status" -eq 0 ] || fail "uring counts: $(jq -c '[.results[] | select(.method == "uring") | [.chunk, .counters.syscalls]]' <<<"$json")"
	# Counters are whole numbers or seconds, never negative; unavailable
	# points have none.
	run jq -e 'all(.results[] | select(.available) | .counters[]; type == "number" and . >= 0)
		and all(.results[] | select(.available | not); .counters == null)' <<<"$json"
	[ "$status" -eq 0 ] || fail "a negative or non-numeric counter"
	assert_dir_empty "$WORK"
}

# strace_spans LOG: one line per timed run the strace log LOG holds, in
# order: the number of system calls from the openat() that creates the
# run's mmaptimer-*.tmp file to the close() of that descriptor, both
# included, then their names.  Anonymous mappings and brk() are the memory
# allocator's (the sanitizer build's malloc maps memory for fdopen's
# FILE), not the method's, and are left out.
strace_spans() {
	awk '
	{ sub(/^[0-9]+ +/, "") }
	!on && /^openat\(.*"[^"]*mmaptimer-[^"]*\.tmp".*O_CREAT/ && match($0, /= [0-9]+$/) {
		fd = substr($0, RSTART + 2); on = 1; n = 0; names = ""
	}
	on {
		if ($0 ~ /MAP_ANONYMOUS/ || $0 ~ /^brk\(/)
			next
		name = $0
		sub(/\(.*/, "", name)
		n++
		names = names " " name
		if ($0 ~ ("^close\\(" fd "\\) += ")) {
			print n names
			on = 0
		}
	}' "$1"
}

# traced ARGS...: run mmaptimer ARGS... under strace -f into $BATS_TEST_TMPDIR/strace.log.
traced() {
	# LeakSanitizer cannot run under ptrace; the sanitizer build's other
	# checks stay on.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 run --separate-stderr \
		strace -f -o "$BATS_TEST_TMPDIR/strace.log" "$MMAPTIMER" "$@"
}

# squeeze "N name name ...": a strace_spans line's names, runs of one name
# collapsed as "name*count".
squeeze() {
	# shellcheck disable=SC2086 # split the names on purpose
	set -- $1
	shift
	printf '%s\n' "$@" | uniq -c | awk '{ printf "%s%s*%d", (NR > 1 ? " " : ""), $2, $1 }'
}

@test "strace: every method's syscall count at 64K in 4K chunks, --sync none and end" {
	skip_under_valgrind "valgrind makes system calls of its own in the process"
	need_strace
	local sync extra i method count span names want
	for sync in none end; do
		extra=0
		[ "$sync" = end ] && extra=1
		traced --size 64K --chunks 4K --methods all --runs 1 --quiet --format csv --sync "$sync"
		assert_status 0
		local -a rows spans
		# Available file methods, in the order they ran (table order).
		mapfile -t rows < <(printf '%s\n' "${lines[@]:1}" | awk -F, '$2 != "null" && $22 == "true" { print $2, $12 }')
		mapfile -t spans < <(strace_spans "$BATS_TEST_TMPDIR/strace.log")
		[ "${#rows[@]}" -ge 9 ] || fail "expected at least 9 file methods: $output"
		[ "${#rows[@]}" -eq "${#spans[@]}" ] ||
			fail "--sync $sync: ${#rows[@]} runs reported, ${#spans[@]} seen by strace:" "${spans[@]}"
		for i in "${!rows[@]}"; do
			method=${rows[i]% *}
			count=${rows[i]#* }
			span=${spans[i]%% *}
			names=$(squeeze "${spans[i]}")
			[ "$count" = "$span" ] ||
				fail "--sync $sync: $method reports $count system calls, strace saw $span: $names"
			case $method in
			write | pwrite | direct) want=$((18 + extra)) ;;
			writev | pwritev) want=$((3 + extra)) ;;
			mmap | mmap-falloc) want=$((5 + extra)) ;;
			mmap-populate) want=$((6 + extra)) ;;
			*) want= ;;
			esac
			[ -z "$want" ] || [ "$count" -eq "$want" ] ||
				fail "--sync $sync: $method: $count system calls, expected $want: $names"
			case $method:$sync in
			mmap*:end) [[ $names == *" msync*1 "* ]] || fail "$method --sync end: no msync: $names" ;;
			*:end) [[ $names == *" fsync*1 "* ]] || fail "$method --sync end: no fsync: $names" ;;
			*:none) [[ $names != *sync* ]] || fail "$method --sync none synced: $names" ;;
			esac
			case $method in
			stdio)
				# open, fcntl (fdopen), fstat (st_blksize), the
				# library's writes, [fsync], close.
				[[ $names =~ ^openat\*1\ fcntl\*1\ (newfstatat|fstat|statx)\*1\ write\*[0-9]+\ (fsync\*1\ )?close\*1$ ]] ||
					fail "stdio --sync $sync: unexpected calls: $names" ;;
			uring)
				[[ $names =~ ^openat\*1\ io_uring_setup\*1\ mmap\*[23]\ io_uring_enter\*[0-9]+\ (fsync\*1\ )?munmap\*[23]\ close\*2$ ]] ||
					fail "uring --sync $sync: unexpected calls: $names" ;;
			esac
		done
	done
	assert_dir_empty "$WORK"
}

@test "--stdio-buffer 64K: 64K in 1-byte chunks is one write(), 16 with the 4 KiB default" {
	skip_under_valgrind "valgrind makes system calls of its own in the process"
	local blk
	blk=$(stat -c %o .)
	[ "$blk" -eq 4096 ] || skip "st_blksize here is $blk, not 4096"
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1 --methods stdio --runs 1 --quiet --format json
	assert_status 0
	local dflt=$output
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1 --methods stdio --runs 1 --quiet --format json --stdio-buffer 64K
	assert_status 0
	[ "$(jq .config.options.stdio_buffer <<<"$output")" -eq 65536 ]
	[ "$(jq .config.options.stdio_buffer <<<"$dflt")" -eq 0 ]
	[ "$(jq '.results[0].verified' <<<"$output")" = true ]
	# open, fcntl, fstat, 16 writes, close; with our own buffer the library
	# sizes nothing: open, fcntl, 1 write, close.
	[ "$(jq '.results[0].counters.syscalls' <<<"$dflt")" -eq 20 ] || fail "default buffer: $(jq -c .results[0].counters <<<"$dflt")"
	[ "$(jq '.results[0].counters.syscalls' <<<"$output")" -eq 4 ] || fail "64K buffer: $(jq -c .results[0].counters <<<"$output")"

	command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null || return 0
	local buf span
	for buf in default 64K; do
		local args=()
		[ "$buf" = default ] || args=(--stdio-buffer "$buf")
		traced --size 64K --chunks 1 --methods stdio --runs 1 --quiet --format csv "${args[@]}"
		assert_status 0
		span=$(strace_spans "$BATS_TEST_TMPDIR/strace.log")
		[ "$(cut -d, -f12 <<<"${lines[1]}")" = "${span%% *}" ] ||
			fail "$buf: reported ${lines[1]}, strace saw $span"
		if [ "$buf" = default ]; then
			[ "$(grep -cE '^[0-9]+ +write\([0-9]+, .*, 4096\) = 4096$' "$BATS_TEST_TMPDIR/strace.log")" -eq 16 ] ||
				fail "default buffer: not 16 writes of 4096: $(squeeze "$span")"
		else
			[ "$(grep -cE '^[0-9]+ +write\([0-9]+, .*, 65536\) = 65536$' "$BATS_TEST_TMPDIR/strace.log")" -eq 1 ] ||
				fail "64K buffer: not 1 write of 65536: $(squeeze "$span")"
		fi
		if [ "$buf" = default ]; then
			[[ $(squeeze "$span") =~ ^openat\*1\ fcntl\*1\ (newfstatat|fstat|statx)\*1\ write\*16\ close\*1$ ]] ||
				fail "default buffer: $(squeeze "$span")"
		else
			[ "$(squeeze "$span")" = "openat*1 fcntl*1 write*1 close*1" ] || fail "64K buffer: $(squeeze "$span")"
		fi
	done
	assert_dir_empty "$WORK"
}

@test "--madvise adds exactly one system call to each mapping method's count" {
	skip_under_valgrind "valgrind makes system calls of its own in the process"
	local advice got want='mmap,5 mmap-falloc,5 mmap-populate,6 '
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 4K --methods mmap,mmap-falloc,mmap-populate,write --runs 1 --quiet --format csv
	assert_status 0
	got=$(printf '%s\n' "${lines[@]:1}" | cut -d, -f2,12 | tr '\n' ' ')
	[ "$got" = "${want}write,18 " ] || fail "without --madvise: $got"
	for advice in normal sequential random willneed dontneed hugepage; do
		run --separate-stderr "$MMAPTIMER" --size 64K --chunks 4K --methods mmap,mmap-falloc,mmap-populate,write \
			--runs 1 --quiet --format csv --madvise "$advice"
		assert_status 0
		got=$(printf '%s\n' "${lines[@]:1}" | cut -d, -f2,12,19 | tr '\n' ' ')
		# write does not map: its count does not change.
		[ "$got" = "mmap,6,true mmap-falloc,6,true mmap-populate,7,true write,18,true " ] ||
			fail "--madvise $advice: $got"
	done
	run --separate-stderr "$MMAPTIMER" --size 4K --chunks 4K --methods mmap --runs 1 --quiet --format json --madvise sequential
	[ "$(jq -r .config.options.madvise <<<"$output")" = sequential ]

	command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null || return 0
	traced --size 64K --chunks 4K --methods mmap --runs 1 --quiet --format csv --madvise sequential
	assert_status 0
	[ "$(grep -c 'madvise(.*MADV_SEQUENTIAL) = 0' "$BATS_TEST_TMPDIR/strace.log")" -eq 1 ] ||
		fail "expected one madvise(MADV_SEQUENTIAL)"
	[ "$(strace_spans "$BATS_TEST_TMPDIR/strace.log")" = "6 openat ftruncate mmap madvise munmap close" ] ||
		fail "strace: $(strace_spans "$BATS_TEST_TMPDIR/strace.log")"
	assert_dir_empty "$WORK"
}

@test "--batch sets the chunks per writev/pwritev call; --sync each adds a sync per call or chunk" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1,4K --methods writev,pwritev --runs 1 --quiet --format csv --batch 1024
	assert_status 0
	# 65536 / 1024 = 64 calls; 16 chunks of 4K fit in one.
	[ "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f2,4,12 | tr '\n' ' ')" = "writev,1,66 pwritev,1,66 writev,4096,3 pwritev,4096,3 " ] ||
		fail "--batch 1024: $output"
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 4K --methods writev,pwritev --runs 1 --quiet --format csv --batch 1
	assert_status 0
	[ "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f2,12 | tr '\n' ' ')" = "writev,18 pwritev,18 " ] || fail "--batch 1: $output"
	# --sync each: write and direct one fsync per chunk, writev one per
	# call (--batch 2: 2 calls), mmap one msync per chunk.
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 16K --methods write,direct,writev,mmap,mmap-populate --runs 1 \
		--quiet --format csv --sync each --batch 2
	assert_status 0
	[ "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f2,12,19 | tr '\n' ' ')" = "write,10,true direct,10,true writev,6,true mmap,9,true mmap-populate,10,true " ] ||
		fail "--sync each: $output"
	assert_dir_empty "$WORK"
}
