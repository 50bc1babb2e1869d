#!/usr/bin/env bats
# signals.bats - SIGINT, SIGTERM and SIGHUP at random points of every
# command that runs for a while: each time the conventional status
# (128 + the signal), nothing on stdout, no file left in --dir or beside
# --output, and no process of the run left behind.  To cover a new
# command, add a line to COMMANDS.

load common

# Long enough that most signals land mid-run; {D} is the run directory.
COMMANDS=(
	"write --size 8M --chunks 16,4K --methods mmap,write,stdio --runs 4 --dir {D}"
	"read --size 32M --chunks 4K,1M --methods mmap,read,pread --runs 4 --cache cold --dir {D}"
	"read --size 16M --chunks 64,64K --methods mmap,read --runs 4 --pattern random --dir {D}"
	"--size 8M --chunks 16,1M --runs 4 --dir {D} --format json --output {D}/../out.json"
	# The database, the pictures and ipc (its processes, ring file, queue).
	"write --size 8M --chunks 16,64K --methods mmap,write --runs 4 --dir {D} --save --db {D}/../out.db"
	"write --size 8M --chunks 16,64K --runs 4 --dir {D} --plot {D}/../out.svg --html {D}/../out.html"
	"ipc --mode latency -n 20000 --runs 2 --dir {D}"
	"ipc --mode throughput --consumers 3 -n 100000 --runs 2 --dir {D} --format json --output {D}/../out.json"
	"ipc --mode both --transports shm --backing memfd --wait spin -n 20000 --runs 2 --dir {D}"
)

# leftover_processes: the /proc entries of processes whose command line
# names the run directory (the run and anything it started).
leftover_processes() {
	grep -lsF -- "$WORK/d" /proc/[0-9]*/cmdline || true
}

@test "signals at random points of every command: the conventional status, nothing left, 30 trials" {
	local i sig want args interrupted=0 left
	local -A code=([INT]=130 [TERM]=143 [HUP]=129)
	local sigs=(INT TERM HUP) reset=()
	env --default-signal=INT true 2>/dev/null && reset=(env --default-signal=INT,TERM,HUP)
	mkdir d
	for i in $(seq 1 30); do
		sig=${sigs[RANDOM % 3]}
		args=${COMMANDS[RANDOM % ${#COMMANDS[@]}]}
		args=${args//\{D\}/$WORK/d}
		# shellcheck disable=SC2086 # the arguments are words
		"${reset[@]}" "$MMAPTIMER" $args --quiet >"$BATS_TEST_TMPDIR/bg.out" \
			2>"$BATS_TEST_TMPDIR/bg.err" 3>&- &
		BGPID=$!
		# Anywhere from before the first file exists to the middle of a run.
		sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
		kill -s "$sig" "$BGPID" 2>/dev/null || true
		wait_bounded "$BGPID" 60
		BGPID=
		want=${code[$sig]}
		if [ "$WAIT_STATUS" -eq 0 ]; then
			# It finished before the signal: a whole result, then.
			[ -s "$BATS_TEST_TMPDIR/bg.out" ] || [ -s out.json ] || [ -s out.db ] ||
				fail "trial $i: status 0 and no result"
			rm -f out.json out.db out.svg out.html
		else
			[ "$WAIT_STATUS" -eq "$want" ] ||
				fail "trial $i ($args, SIG$sig): status $WAIT_STATUS, expected $want; $(cat "$BATS_TEST_TMPDIR/bg.err")"
			[ ! -s "$BATS_TEST_TMPDIR/bg.out" ] || fail "trial $i: stdout not empty after SIG$sig"
			interrupted=$((interrupted + 1))
		fi
		assert_dir_empty "$WORK/d"
		assert_dir_empty "$WORK" d
		left=$(leftover_processes)
		[ -z "$left" ] || fail "trial $i: processes left: $left"
	done
	[ "$interrupted" -ge 15 ] || fail "only $interrupted of 30 trials were interrupted"
}
