#!/usr/bin/env bats
# failures.bats - runs that fail or are stopped: interrupts, a corrupted
# file caught by verification, a full disk, a full standard output.  Each
# must end with the right status, one line on stderr, no result, and no
# file left behind.

load common

# start_long [OPTIONS...]: start a long write run in the background in $WORK,
# its stdout and stderr in $BATS_TEST_TMPDIR, fd 3 (bats' own) closed so a
# stray process cannot hang the suite.  The signals the test sends are
# reset to their defaults first: a non-interactive shell starts background
# jobs with SIGINT ignored, which is not how a user runs the tool.
start_long() {
	local reset=()
	if env --default-signal=INT true 2>/dev/null; then
		# shellcheck disable=SC2054 # one argument: a comma list of signals
		reset=(env --default-signal=INT,TERM,HUP)
	fi
	"${reset[@]}" "$MMAPTIMER" --quiet "$@" \
		>"$BATS_TEST_TMPDIR/bg.out" 2>"$BATS_TEST_TMPDIR/bg.err" 3>&- &
	BGPID=$!
}

# interrupt SIGNAL STATUS [OPTIONS...]: start a long run, wait until its
# temporary file exists, send SIGNAL; the run must end with STATUS, print
# nothing on stdout and leave the directory empty.
interrupt() {
	local sig=$1 want=$2
	shift 2
	start_long "$@"
	wait_for_file "$WORK" 'mmaptimer-*.tmp' 30 || {
		cat "$BATS_TEST_TMPDIR/bg.err" >&2
		fail "no mmaptimer-*.tmp file appeared in $WORK within 30 s"
	}
	# Let the method get into its chunk loop.
	sleep 0.2
	kill -s "$sig" "$BGPID"
	wait_bounded "$BGPID" 30
	BGPID=
	[ "$WAIT_STATUS" -eq "$want" ] || {
		cat "$BATS_TEST_TMPDIR/bg.err" >&2
		fail "SIG$sig: expected status $want, got $WAIT_STATUS"
	}
	[ ! -s "$BATS_TEST_TMPDIR/bg.out" ] || fail "stdout not empty: $(cat "$BATS_TEST_TMPDIR/bg.out")"
	assert_dir_empty "$WORK"
}

@test "SIGINT during a run: status 130 and the directory empty" {
	interrupt INT 130 --size 64M --chunks 1 --methods write --runs 1
}

@test "SIGTERM during a run: status 143 and the directory empty" {
	interrupt TERM 143 --size 64M --chunks 1 --methods write --runs 1
}

@test "SIGHUP during a run: status 129 and the directory empty" {
	interrupt HUP 129 --size 64M --chunks 1 --methods write --runs 1
}

@test "SIGINT during a run with --output: no output file, no temporary file" {
	interrupt INT 130 --size 64M --chunks 1 --methods write --runs 1 --format json --output out.json
	[ ! -e out.json ]
}

@test "SIGTERM during mmap runs: status 143 and the directory empty" {
	interrupt TERM 143 --size 64M --chunks 1 --methods mmap --runs 100
}

@test "verification catches a corrupted file: exit 1, one line, no result, nothing left" {
	export MMAPTIMER_TEST_CORRUPT=100
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1K --methods mmap --runs 1 --quiet
	assert_status 1
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: verification failed: method 'mmap' with 1 KiB chunks wrote a file that differs from the pattern at offset 100"
	assert_dir_empty "$WORK"

	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1K --methods write --runs 1 --quiet
	assert_status 1
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: verification failed: method 'write' with 1 KiB chunks wrote a file that differs from the pattern at offset 100"
	assert_dir_empty "$WORK"
}

@test "verification failure in a default run, as JSON and with --output" {
	export MMAPTIMER_TEST_CORRUPT=100
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --format json --quiet
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "verification failed"
	assert_dir_empty "$WORK"

	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --format json --quiet --output out.json
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "verification failed"
	assert_dir_empty "$WORK"
}

@test "verification catches a flipped first and last byte" {
	MMAPTIMER_TEST_CORRUPT=0 run --separate-stderr "$MMAPTIMER" --size 64K --chunks 64K --runs 1 --quiet
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "at offset 0"
	MMAPTIMER_TEST_CORRUPT=65535 run --separate-stderr "$MMAPTIMER" --size 64K --chunks 64K --runs 1 --quiet
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "at offset 65535"
	assert_dir_empty "$WORK"
}

# full_disk_tmpfs: a 5 MiB tmpfs at $WORK/full, or skip.
full_disk_tmpfs() {
	mount_tmpfs "$WORK/full" size=5m
}

@test "full disk, mmap: refused before starting" {
	full_disk_tmpfs
	run --separate-stderr "$MMAPTIMER" --size 10M --chunks 1M --methods mmap --runs 1 --quiet --dir full
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "No space left on device"
	assert_one_stderr_line "mmaptimer: not enough free space in 'full' for a 10 MiB file (5 MiB available): No space left on device"
	assert_dir_empty "$WORK/full"
}

@test "full disk, write: refused before starting" {
	full_disk_tmpfs
	run --separate-stderr "$MMAPTIMER" --size 10M --chunks 1M --methods write --runs 1 --quiet --dir full
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "No space left on device"
	assert_dir_empty "$WORK/full"
}

@test "full disk, mmap, without the up-front check: the run fails cleanly, no SIGBUS" {
	full_disk_tmpfs
	MMAPTIMER_TEST_NO_SPACE_CHECK=1 run --separate-stderr "$MMAPTIMER" --size 10M --chunks 1M \
		--methods mmap --runs 1 --quiet --dir full
	# 135 would be death by SIGBUS.
	assert_status 1
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: method 'mmap' failed writing 1 MiB chunks to 'full': No space left on device"
	assert_dir_empty "$WORK/full"
	# The space is free again: a run that fits succeeds.
	run --separate-stderr "$MMAPTIMER" --size 1M --chunks 1M --methods mmap --runs 1 --quiet --dir full
	assert_status 0
	assert_dir_empty "$WORK/full"
}

@test "full disk, write, without the up-front check: the run fails cleanly" {
	full_disk_tmpfs
	MMAPTIMER_TEST_NO_SPACE_CHECK=1 run --separate-stderr "$MMAPTIMER" --size 10M --chunks 1M \
		--methods write --runs 1 --quiet --dir full
	assert_status 1
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: method 'write' failed writing 1 MiB chunks to 'full': No space left on device"
	assert_dir_empty "$WORK/full"
}

@test "full disk without the up-front check, small chunks and --output" {
	full_disk_tmpfs
	MMAPTIMER_TEST_NO_SPACE_CHECK=1 run --separate-stderr "$MMAPTIMER" --size 10M --chunks 4K \
		--methods mmap,write --runs 1 --quiet --dir full --output "$WORK/out.json" --format json
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "No space left on device"
	assert_dir_empty "$WORK/full"
	assert_dir_empty "$WORK" full
}

@test "standard output on a full device: non-zero exit and an error line" {
	local fmt
	[ -w /dev/full ] || skip "no /dev/full"
	for fmt in json csv table; do
		run --separate-stderr bash -c '"$MMAPTIMER" --size 64K --chunks 64K --runs 1 --quiet --format "$1" >/dev/full' _ "$fmt"
		[ "$status" -ne 0 ] || fail "$fmt: exit status 0 with stdout on /dev/full"
		assert_status 1
		assert_one_stderr_line "mmaptimer: cannot write to standard output: No space left on device"
	done
	# The command the issue names, verbatim.
	run --separate-stderr bash -c '"$MMAPTIMER" --size 64K --runs 1 --format json > /dev/full'
	[ "$status" -ne 0 ]
	assert_stderr_contains "cannot write to standard output"
	assert_dir_empty "$WORK"
}

@test "help, version, methods and env on a full standard output fail too" {
	[ -w /dev/full ] || skip "no /dev/full"
	local args
	for args in --help --version "write --help" methods env "methods --help" "env --help"; do
		run --separate-stderr bash -c '"$MMAPTIMER" $1 >/dev/full' _ "$args"
		[ "$status" -eq 1 ] || fail "'$args' >/dev/full: expected status 1, got $status"
		assert_one_stderr_line "mmaptimer: cannot write to standard output: No space left on device"
	done
}

# tmpfs_all_free DIR: the filesystem at DIR has every block free (nothing
# written there is still held, by a file or by a kernel request).
tmpfs_all_free() {
	local total free
	read -r total free < <(stat -f -c '%b %f' "$1")
	[ "$total" -eq "$free" ] || {
		df -B1 "$1" >&2
		fail "'$1' has $((total - free)) blocks in use right after the run"
	}
}

@test "full disk, every write method, without the up-front check: ENOSPC, nothing left, space free" {
	full_disk_tmpfs
	local m ran=0
	for m in mmap mmap-falloc mmap-populate write pwrite writev pwritev stdio direct uring; do
		if [ "$m" = uring ] && ! uring_works; then
			continue
		fi
		MMAPTIMER_TEST_NO_SPACE_CHECK=1 run --separate-stderr "$MMAPTIMER" --dir full --size 10M --chunks 1M \
			--methods "$m" --runs 1 --quiet
		# 135 would be death by SIGBUS.
		assert_status 1
		assert_no_stdout
		# tmpfs takes O_DIRECT on this kernel, so direct runs and fails too.
		assert_one_stderr_line "mmaptimer: method '$m' failed writing 1 MiB chunks to 'full': No space left on device"
		assert_dir_empty "$WORK/full"
		# Right after exit: io_uring requests once kept the file's pages
		# alive past close.
		tmpfs_all_free "$WORK/full"
		ran=$((ran + 1))
	done
	[ "$ran" -ge 9 ]
	# And with every method in one run: the first one fails.
	MMAPTIMER_TEST_NO_SPACE_CHECK=1 run --separate-stderr "$MMAPTIMER" --dir full --size 10M --chunks 1M \
		--methods all --runs 1 --quiet --format json
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "No space left on device"
	assert_dir_empty "$WORK/full"
	tmpfs_all_free "$WORK/full"
}

@test "full disk, every write method: refused up front, exit 1, nothing created" {
	full_disk_tmpfs
	local m
	for m in mmap mmap-falloc mmap-populate write pwrite writev pwritev stdio direct uring null; do
		run --separate-stderr "$MMAPTIMER" --dir full --size 10M --chunks 1M --methods "$m" --runs 1 --quiet
		assert_status 1
		assert_no_stdout
		assert_one_stderr_line "mmaptimer: not enough free space in 'full' for a 10 MiB file (5 MiB available): No space left on device"
		assert_dir_empty "$WORK/full"
	done
	tmpfs_all_free "$WORK/full"
}

@test "full disk, small chunks: uring reaps every request in flight and frees the space" {
	uring_works || skip "the uring method cannot run here (built without liburing or io_uring disabled)"
	full_disk_tmpfs
	local qd
	for qd in 1 64; do
		MMAPTIMER_TEST_NO_SPACE_CHECK=1 run --separate-stderr "$MMAPTIMER" --dir full --size 10M --chunks 4K \
			--methods uring --queue-depth "$qd" --runs 1 --quiet
		assert_status 1
		assert_no_stdout
		assert_one_stderr_line "mmaptimer: method 'uring' failed writing 4 KiB chunks to 'full': No space left on device"
		assert_dir_empty "$WORK/full"
		tmpfs_all_free "$WORK/full"
	done
}

@test "a SIGHUP the caller ignores (nohup) stays ignored" {
	command -v nohup >/dev/null || skip "no nohup"
	nohup "$MMAPTIMER" --quiet --size 64M --chunks 1 --methods write --runs 1 \
		>"$BATS_TEST_TMPDIR/bg.out" 2>"$BATS_TEST_TMPDIR/bg.err" 3>&- &
	BGPID=$!
	wait_for_file "$WORK" 'mmaptimer-*.tmp' 30 || fail "no temporary file appeared"
	kill -s HUP "$BGPID"
	sleep 0.3
	kill -0 "$BGPID" || fail "SIGHUP killed a run started under nohup"
	kill -s TERM "$BGPID"
	wait_bounded "$BGPID" 30
	BGPID=
	[ "$WAIT_STATUS" -eq 143 ] || fail "SIGTERM: status $WAIT_STATUS"
	assert_dir_empty "$WORK"
}

@test "the --dir removed in the middle of a sweep: exit 1, one line, no result" {
	mkdir -p gone
	"$MMAPTIMER" --quiet --dir gone --size 8M --chunks 64,4K --runs 20 \
		>"$BATS_TEST_TMPDIR/bg.out" 2>"$BATS_TEST_TMPDIR/bg.err" 3>&- &
	BGPID=$!
	wait_for_file gone 'mmaptimer-*.tmp' 30 || fail "no temporary file appeared"
	rm -rf gone
	wait_bounded "$BGPID" 60
	BGPID=
	[ "$WAIT_STATUS" -eq 1 ] || fail "status $WAIT_STATUS: $(cat "$BATS_TEST_TMPDIR/bg.err")"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/bg.err")" -eq 1 ] || fail "stderr: $(cat "$BATS_TEST_TMPDIR/bg.err")"
	grep -q 'No such file or directory' "$BATS_TEST_TMPDIR/bg.err" || fail "stderr: $(cat "$BATS_TEST_TMPDIR/bg.err")"
	[ ! -s "$BATS_TEST_TMPDIR/bg.out" ] || fail "a result was printed"
}
