#!/usr/bin/env bats
# output.bats - standard output that cannot take the result: a full
# device, a pipe whose reader is gone, a closed descriptor.  Every command
# must then fail (non-zero, one line on stderr), never report success; and
# whatever the tool has to say goes to stderr, never into the JSON or CSV
# on stdout.  To cover a new command, add it to COMMANDS.

load common

# Every command, each with arguments that make it quick.  One per line.
COMMANDS=(
	"--size 64K --chunks 4K --runs 1 --quiet --format json"
	"write --size 64K --chunks 4K --runs 1 --quiet --format csv"
	"write --size 64K --chunks 4K --runs 1 --quiet"
	"read --size 64K --chunks 4K --runs 1 --quiet --format json"
	"read --size 64K --chunks 4K --runs 1 --quiet"
	"methods"
	"env"
	"--help"
	"--version"
	"read --help"
)

@test "every command with standard output on /dev/full: exit 1 and one error line" {
	[ -w /dev/full ] || skip "no /dev/full"
	local args
	for args in "${COMMANDS[@]}"; do
		# shellcheck disable=SC2086 # the arguments are words
		run --separate-stderr bash -c '"$MMAPTIMER" $1 >/dev/full' _ "$args"
		[ "$status" -eq 1 ] || fail "'$args' >/dev/full: status $status"
		assert_one_stderr_line "mmaptimer: cannot write to standard output: No space left on device"
	done
	assert_dir_empty "$WORK"
}

@test "every command with standard output closed (>&-): exit 1, nothing written elsewhere" {
	local args
	for args in "${COMMANDS[@]}"; do
		run --separate-stderr bash -c '"$MMAPTIMER" $1 >&-' _ "$args"
		[ "$status" -eq 1 ] || fail "'$args' >&-: status $status"
		assert_one_stderr_line "mmaptimer: cannot write to standard output: Bad file descriptor"
	done
	assert_dir_empty "$WORK"
}

# into_gone_pipe ARGS: run the tool with ARGS into a pipe whose reader has
# already exited; PIPE_STATUS is the tool's status, its stderr in
# $BATS_TEST_TMPDIR/err.  With IGNORE_PIPE=1, SIGPIPE is ignored (as
# under some shells and daemons) so the tool sees EPIPE instead.
into_gone_pipe() {
	PIPE_STATUS=$(bash -c '
		[ "$IGNORE_PIPE" = 1 ] && trap "" PIPE
		{ sleep 0.1; exec "$MMAPTIMER" $1 2>"$2"; } | true
		echo "${PIPESTATUS[0]}"' _ "$1" "$BATS_TEST_TMPDIR/err")
}

@test "every command into a pipe whose reader is gone: killed by SIGPIPE (141), never 0" {
	local args
	for args in "${COMMANDS[@]}"; do
		IGNORE_PIPE=0 into_gone_pipe "$args"
		[ "$PIPE_STATUS" -eq 141 ] || fail "'$args' | (gone): status $PIPE_STATUS: $(cat "$BATS_TEST_TMPDIR/err")"
	done
	assert_dir_empty "$WORK"
}

@test "the same with SIGPIPE ignored: exit 1 and 'Broken pipe' on stderr" {
	local args
	for args in "${COMMANDS[@]}"; do
		IGNORE_PIPE=1 into_gone_pipe "$args"
		[ "$PIPE_STATUS" -eq 1 ] || fail "'$args' | (gone): status $PIPE_STATUS: $(cat "$BATS_TEST_TMPDIR/err")"
		[ "$(cat "$BATS_TEST_TMPDIR/err")" = "mmaptimer: cannot write to standard output: Broken pipe" ] ||
			fail "'$args': stderr: $(cat "$BATS_TEST_TMPDIR/err")"
	done
	assert_dir_empty "$WORK"
}

@test "| head -1 on a result larger than the pipe holds: non-zero, in every format" {
	# 1601 chunk sizes of the null method (which touches no file, so it
	# is quick): over twice the 64 KiB a pipe buffers in every format, so
	# the tool is still writing when head has left.  (A result that fits in the pipe is
	# wholly written before head leaves: then 0 is the truth.)
	local chunks fmt st
	chunks=$(seq -s, 1000 2600)
	for fmt in json csv "table --phases"; do
		for ign in 0 1; do
			# shellcheck disable=SC2016
			st=$(IGNORE_PIPE=$ign bash -c '
				[ "$IGNORE_PIPE" = 1 ] && trap "" PIPE
				"$MMAPTIMER" --size 64K --chunks "$1" --methods null --runs 1 --quiet --format $2 2>"$3" | head -1 >/dev/null
				echo "${PIPESTATUS[0]}"' _ "$chunks" "$fmt" "$BATS_TEST_TMPDIR/err")
			if [ "$ign" = 1 ]; then
				[ "$st" -eq 1 ] || fail "$fmt | head -1, SIGPIPE ignored: status $st: $(cat "$BATS_TEST_TMPDIR/err")"
				grep -qx 'mmaptimer: cannot write to standard output: Broken pipe' "$BATS_TEST_TMPDIR/err" ||
					fail "$fmt: stderr: $(cat "$BATS_TEST_TMPDIR/err")"
			else
				[ "$st" -eq 141 ] || fail "$fmt | head -1: status $st: $(cat "$BATS_TEST_TMPDIR/err")"
			fi
		done
	done
	assert_dir_empty "$WORK"
}

@test "warnings go to stderr: the JSON and CSV on stdout still parse, line for line" {
	# --sync each is the run that warns (without --quiet).
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 16K,64K --runs 1 --sync each --format json
	assert_status 0
	assert_stderr_contains "warning: --sync each forces every chunk to storage"
	jq -e '.schema == "mmaptimer/1" and (.results | length == 4)' <<<"$output" >/dev/null ||
		fail "stdout is not the JSON document alone: $output"
	run --separate-stderr "$MMAPTIMER" write --size 64K --chunks 16K,64K --runs 1 --sync each --format csv
	assert_status 0
	assert_stderr_contains "warning:"
	[ "${#lines[@]}" -eq 5 ] || fail "expected a header and 4 rows, got: $output"
	local n
	n=$(head -1 <<<"$output" | awk -F, '{print NF}')
	awk -F, -v n="$n" 'NF != n { exit 1 }' <<<"$output" || fail "a CSV line has another field count: $output"
	# And stderr stays empty when there is nothing to say.
	run --separate-stderr "$MMAPTIMER" read --size 64K --chunks 16K --runs 1 --format json
	assert_status 0
	[ -z "$stderr" ] || fail "stderr: $stderr"
	jq -e . <<<"$output" >/dev/null
}

@test "a failed run with --format json prints no JSON at all: stdout empty, one line on stderr" {
	MMAPTIMER_TEST_CORRUPT=5 run --separate-stderr "$MMAPTIMER" read --size 64K --chunks 4K --runs 1 --quiet --format json
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "verification failed"
	assert_dir_empty "$WORK"
}
