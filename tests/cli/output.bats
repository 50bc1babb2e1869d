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
	# ipc, the pictures and the saved results; {F} is a fixture directory
	# with a database (result 1 a write, 2 a read) and two JSON results.
	"ipc -n 200 --runs 1 --quiet --format json"
	"ipc --mode throughput --transports shm,pipe -n 200 --runs 1 --quiet --format csv"
	"ipc -n 200 --runs 1 --transports unix,mq --quiet"
	"write --size 64K --chunks 4K --runs 1 --quiet --format svg"
	"read --size 64K --chunks 4K --runs 1 --quiet --format html"
	"history --db {F}/db"
	"history --db {F}/db --format json"
	"history --db {F}/db --format csv"
	"report 1 --db {F}/db --format json"
	"report 2 --db {F}/db --format csv"
	"report {F}/w.json --format svg"
	"report {F}/r.json --format html --phases"
	"compare 1 {F}/w.json --db {F}/db"
	"import {F}/w.json --db {F}/db"
)

# The fixture: a small database and two JSON results, made once.
setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	"$MMAPTIMER" write --size 64K --chunks 4K,16K --runs 2 --quiet --save --db db --format json >w.json &&
		"$MMAPTIMER" read --size 64K --chunks 4K,16K --runs 2 --quiet --save --db db --format json >r.json
}

# cmd ARGS: ARGS with {F} replaced by the fixture directory.
cmd() {
	printf '%s' "${1//\{F\}/$BATS_FILE_TMPDIR}"
}

@test "every command with standard output on /dev/full: exit 1 and one error line" {
	[ -w /dev/full ] || skip "no /dev/full"
	local args
	for args in "${COMMANDS[@]}"; do
		# shellcheck disable=SC2086 # the arguments are words
		run --separate-stderr bash -c '"$MMAPTIMER" $1 >/dev/full' _ "$(cmd "$args")"
		[ "$status" -eq 1 ] || fail "'$args' >/dev/full: status $status"
		assert_one_stderr_line "mmaptimer: cannot write to standard output: No space left on device"
	done
	assert_dir_empty "$WORK"
}

@test "every command with standard output closed (>&-): exit 1, nothing written elsewhere" {
	skip_under_valgrind "valgrind opens its log on the lowest free descriptor, the closed stdout"
	local args
	for args in "${COMMANDS[@]}"; do
		run --separate-stderr bash -c '"$MMAPTIMER" $1 >&-' _ "$(cmd "$args")"
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
		IGNORE_PIPE=0 into_gone_pipe "$(cmd "$args")"
		[ "$PIPE_STATUS" -eq 141 ] || fail "'$args' | (gone): status $PIPE_STATUS: $(cat "$BATS_TEST_TMPDIR/err")"
	done
	assert_dir_empty "$WORK"
}

@test "the same with SIGPIPE ignored: exit 1 and 'Broken pipe' on stderr" {
	local args
	for args in "${COMMANDS[@]}"; do
		IGNORE_PIPE=1 into_gone_pipe "$(cmd "$args")"
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

@test "| head -1 on report, compare, history and ipc, JSON and CSV: 141 or a whole result, never a lost write" {
	# A saved result of 1601 chunk sizes (null method): report and compare
	# of it are larger than a pipe holds, so they must end with 141.
	local chunks args st ign
	chunks=$(seq -s, 1000 2600)
	"$MMAPTIMER" --size 64K --chunks "$chunks" --methods null --runs 1 --quiet --format json \
		--save --db big.db >big.json
	for args in "report 1 --db big.db --format json" "report big.json --format csv" \
		"report 1 --db big.db" "compare big.json 1 --db big.db"; do
		for ign in 0 1; do
			# shellcheck disable=SC2016
			st=$(IGNORE_PIPE=$ign bash -c '
				[ "$IGNORE_PIPE" = 1 ] && trap "" PIPE
				"$MMAPTIMER" $1 2>"$2" | head -1 >/dev/null
				echo "${PIPESTATUS[0]}"' _ "$args" "$BATS_TEST_TMPDIR/err")
			if [ "$ign" = 1 ]; then
				[ "$st" -eq 1 ] || fail "$args | head -1, SIGPIPE ignored: status $st: $(cat "$BATS_TEST_TMPDIR/err")"
				grep -qx 'mmaptimer: cannot write to standard output: Broken pipe' "$BATS_TEST_TMPDIR/err" ||
					fail "$args: stderr: $(cat "$BATS_TEST_TMPDIR/err")"
			else
				[ "$st" -eq 141 ] || fail "$args | head -1: status $st: $(cat "$BATS_TEST_TMPDIR/err")"
			fi
		done
	done
	# history and ipc fit in a pipe: written whole before head leaves (0),
	# or cut by SIGPIPE (141); head's line is the first of the whole output.
	for args in "history --db big.db --format json" "history --db big.db --format csv" \
		"ipc -n 200 --runs 1 --transports pipe --quiet --format json" \
		"ipc -n 200 --runs 1 --transports pipe --quiet --format csv"; do
		# shellcheck disable=SC2016
		st=$(bash -c '"$MMAPTIMER" $1 2>"$2" | head -1 >"$3"; echo "${PIPESTATUS[0]}"' \
			_ "$args" "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/first")
		[ "$st" -eq 0 ] || [ "$st" -eq 141 ] || fail "$args | head -1: status $st: $(cat "$BATS_TEST_TMPDIR/err")"
		[ ! -s "$BATS_TEST_TMPDIR/err" ] || fail "$args: stderr: $(cat "$BATS_TEST_TMPDIR/err")"
		# shellcheck disable=SC2086
		[ "$(cat "$BATS_TEST_TMPDIR/first")" = "$("$MMAPTIMER" $args | head -1)" ] ||
			fail "$args: head's line is not the first line of the output"
	done
	rm big.db big.json
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
