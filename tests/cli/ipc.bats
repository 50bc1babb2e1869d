#!/usr/bin/env bats
# ipc.bats - `mmaptimer ipc` end to end: every transport in both modes and
# every format (JSON validated against the schema), bad values refused
# with exit 2, a consumer killed mid-run noticed within 2 s, and signals to
# the tool leaving no process or file behind.

load common

SCHEMA="$BATS_TEST_DIRNAME/../../doc/mmaptimer-1.schema.json"

# validate_json FILE: FILE is valid against the project's schema.
validate_json() {
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || skip "/usr/bin/python3 has no jsonschema module"
	/usr/bin/python3 - "$SCHEMA" "$1" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
PY
}

# no_leftover_processes: nothing still runs with $WORK on its command line
# (the tool's children are forks of it and carry its arguments).
no_leftover_processes() {
	local left
	left=$(pgrep -f -- "--dir $WORK" || true)
	if [ -n "$left" ]; then
		ps -o pid,ppid,stat,args -p $left >&2 || true
		fail "processes left behind: $left"
	fi
}

@test "ipc --help names every option and transport" {
	run --separate-stderr "$MMAPTIMER" ipc --help
	assert_status 0
	for w in --transports --mode --messages --consumers --slots --wait --backing --no-pin \
		--runs --dir --format --output shm pipe unix mq latency throughput hybrid memfd; do
		[[ $output == *"$w"* ]] || fail "--help does not mention $w"
	done
	run --separate-stderr "$MMAPTIMER" --help
	[[ $output == *"ipc "* ]] || fail "mmaptimer --help does not list ipc"
}

@test "ipc: every transport, latency and throughput, against the floor, in a table" {
	run --separate-stderr "$MMAPTIMER" ipc --dir "$WORK" -n 400 -r 2
	assert_status 0
	[ -z "$stderr" ] || { show_run; fail "unexpected stderr"; }
	for t in floor shm pipe unix mq; do
		grep -qE "^$t +[0-9]+ " <<<"$output" || { show_run; fail "no latency row for $t"; }
	done
	for t in shm pipe unix mq; do
		grep -qE "^$t +[0-9.]+[KMG]? +[0-9.]+ " <<<"$output" || { show_run; fail "no throughput row for $t"; }
	done
	[[ $output == *"x floor"* && $output == *"x pipe"* ]] || fail "no comparison columns"
	[[ $output == *"verdict: the shared ring's one-way latency is"* ]] || fail "no latency verdict"
	[[ $output == *"placement"* || $output == *"cpu"* || $output == *"not pinned"* ]] || fail "placement not reported"
	assert_dir_empty "$WORK"
	no_leftover_processes
}

@test "ipc --format json: validates against the schema, every row verified" {
	run --separate-stderr "$MMAPTIMER" ipc --dir "$WORK" -n 300 -r 1 --format json --output out.json
	assert_status 0
	validate_json out.json
	run jq -e '.schema == "mmaptimer/1" and .config.op == "ipc" and .config.command == "ipc"
		and (.results | length) == 9
		and all(.results[]; .op == "ipc" and (.available | not) or .verified == true)
		and ([.results[] | select(.mode == "latency") | .transport] == ["floor", "shm", "pipe", "unix", "mq"])
		and all(.results[] | select(.mode == "latency" and .available); .latency_ns.median > 0 and .floor_ratio > 0)
		and all(.results[] | select(.mode == "throughput" and .available); .records_per_s > 0 and .mb_per_s > 0)
		and (.env.cores >= 1)' out.json
	[ "$status" -eq 0 ] || { cat out.json >&2; fail "unexpected JSON content"; }
	assert_dir_empty "$WORK" out.json
}

@test "ipc --format csv: a header and one row per mode and transport" {
	run --separate-stderr "$MMAPTIMER" ipc --dir "$WORK" -n 200 -r 1 --format csv
	assert_status 0
	[ "${lines[0]%%,*}" = mode ] || fail "no header: ${lines[0]}"
	[ "${#lines[@]}" -eq 10 ] || { show_run; fail "expected 10 lines"; }
	grep -q '^latency,floor,true,' <<<"$output" || fail "no floor row"
	grep -q '^throughput,shm,true,' <<<"$output" || fail "no shm throughput row"
}

@test "ipc: several consumers, few slots, each waiting mode, memfd backing" {
	for w in sleep hybrid spin; do
		run --separate-stderr "$MMAPTIMER" ipc --dir "$WORK" --mode throughput --consumers 3 \
			--slots 4 --wait "$w" --backing memfd -n 3000 -r 1 --format json
		assert_status 0
		run jq -e '.config.consumers == 3 and .config.wait == "'"$w"'" and .config.backing == "memfd"
			and all(.results[]; .verified == true and .consumers == 3)' <<<"$output"
		[ "$status" -eq 0 ] || fail "--wait $w: unexpected JSON"
	done
	assert_dir_empty "$WORK"
	no_leftover_processes
}

@test "ipc: bad values are usage errors (exit 2) with one line" {
	run --separate-stderr "$MMAPTIMER" ipc --messages 0
	assert_usage_error "mmaptimer: invalid --messages '0': expected a whole number from 1 to 1000000000"
	run --separate-stderr "$MMAPTIMER" ipc --slots 0
	assert_usage_error "mmaptimer: invalid --slots '0': expected a whole number from 1 to 1048576"
	run --separate-stderr "$MMAPTIMER" ipc --consumers 65
	assert_usage_error "mmaptimer: invalid --consumers '65': expected a whole number from 1 to 64"
	run --separate-stderr "$MMAPTIMER" ipc --consumers 0
	assert_usage_error
	run --separate-stderr "$MMAPTIMER" ipc --transports shm,carrier-pigeon
	assert_usage_error "mmaptimer: unknown transport 'carrier-pigeon' (expected shm, pipe, unix or mq)"
	run --separate-stderr "$MMAPTIMER" ipc --mode sideways
	assert_usage_error "mmaptimer: invalid --mode 'sideways': expected latency, throughput or both"
	run --separate-stderr "$MMAPTIMER" ipc --wait forever
	assert_usage_error "mmaptimer: invalid --wait 'forever': expected spin, sleep or hybrid"
	run --separate-stderr "$MMAPTIMER" ipc --backing tape
	assert_usage_error "mmaptimer: invalid --backing 'tape': expected file or memfd"
	run --separate-stderr "$MMAPTIMER" ipc --dir "$WORK/missing"
	assert_usage_error
	run --separate-stderr "$MMAPTIMER" ipc --format svg-of-doom
	assert_usage_error
	run --separate-stderr "$MMAPTIMER" ipc extra
	assert_usage_error
}

@test "ipc: a lost or duplicated record is an error (exit 1), not a number" {
	MMAPTIMER_TEST_IPC_DUPLICATE=1 run --separate-stderr "$MMAPTIMER" ipc --dir "$WORK" -n 500 -r 1 -t pipe --mode throughput
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "pipe throughput run: the records delivered are not each of the 500 sent exactly once"
	assert_dir_empty "$WORK"
}

@test "ipc: a consumer killed mid-run is named, exit 1 within 2 s, nothing left behind" {
	for t in shm pipe unix mq; do
		local t0=$SECONDS
		MMAPTIMER_TEST_IPC_DIE_AFTER=2000 run --separate-stderr "$MMAPTIMER" ipc --dir "$WORK" \
			-t "$t" --mode throughput --consumers 2 -n 100000000 -r 1
		assert_status 1
		assert_no_stdout
		assert_stderr_contains "$t throughput run: consumer 1 of 2 (pid "
		assert_stderr_contains "died: killed by signal 9"
		[ $((SECONDS - t0)) -le 2 ] || fail "$t: took $((SECONDS - t0)) s"
		assert_dir_empty "$WORK"
		no_leftover_processes
	done
}

@test "ipc: SIGKILL from outside to a latency peer: exit 1 within 2 s" {
	env --default-signal=INT,TERM,HUP "$MMAPTIMER" ipc --dir "$WORK" -t shm --mode latency \
		-n 1000000000 -r 1 2>err.txt &
	BGPID=$!
	local kid= tries=100
	while [ "$tries" -gt 0 ] && [ -z "$kid" ]; do
		kid=$(pgrep -P "$BGPID" | head -1)
		sleep 0.05
		tries=$((tries - 1))
	done
	[ -n "$kid" ] || fail "no child process appeared"
	sleep 0.2
	local t0=$SECONDS
	kill -KILL "$kid"
	wait_bounded "$BGPID" 3
	[ "$WAIT_STATUS" -eq 1 ] || { cat err.txt >&2; fail "exit status $WAIT_STATUS, expected 1"; }
	[ $((SECONDS - t0)) -le 2 ] || fail "took $((SECONDS - t0)) s"
	grep -q "latency run: consumer 1 of 1 (pid $kid) died: killed by signal 9" err.txt || { cat err.txt >&2; fail "the dead peer is not named"; }
	[ "$(wc -l <err.txt)" -eq 1 ] || { cat err.txt >&2; fail "expected one line on stderr"; }
	assert_dir_empty "$WORK" err.txt
	no_leftover_processes
}

@test "ipc: SIGTERM, SIGINT and SIGHUP to the tool: children reaped, files removed, 128+N" {
	local sig want
	for sig in TERM INT HUP; do
		case $sig in TERM) want=143 ;; INT) want=130 ;; HUP) want=129 ;; esac
		env --default-signal=INT,TERM,HUP "$MMAPTIMER" ipc --dir "$WORK" -t shm,pipe \
			--mode throughput -n 1000000000 -r 1 >/dev/null 2>&1 &
		BGPID=$!
		local tries=100
		while [ "$tries" -gt 0 ] && [ -z "$(pgrep -P "$BGPID")" ]; do
			sleep 0.05
			tries=$((tries - 1))
		done
		[ "$tries" -gt 0 ] || fail "no child process appeared"
		kill -"$sig" "$BGPID"
		wait_bounded "$BGPID" 3
		[ "$WAIT_STATUS" -eq "$want" ] || fail "SIG$sig: exit status $WAIT_STATUS, expected $want"
		sleep 0.1
		no_leftover_processes
		assert_dir_empty "$WORK"
	done
}

@test "ipc --output: never over an existing file" {
	echo keep >exists.txt
	run --separate-stderr "$MMAPTIMER" ipc --dir "$WORK" -n 100 -r 1 --output exists.txt
	assert_status 2
	[ "$(cat exists.txt)" = keep ] || fail "exists.txt was changed"
}
