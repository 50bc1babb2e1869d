#!/usr/bin/env bats
# runs.bats - valid runs: the structure of the table, CSV and JSON outputs,
# --output, chunk ranges, the full classic experiment, no stray files, and
# two instances at once.  No test looks at a timing value.

load common

CSV_HEADER="op,method,size,chunk,runs,median,min,max,setup,transfer,teardown,syscalls,minflt,majflt,utime,stime,nvcsw,nivcsw,verified,sync,storage_bytes,available,why,storage_read_bytes,resident"

# The jq program that checks one mmaptimer/1 document against the run's
# parameters: $runs (number), $size (number), $chunks and $methods (arrays),
# run with the default method options and every point available.  $io says
# whether /proc/self/io exists, without which storage_bytes is null.
JSON_CHECK='
def num: type == "number";
def ok(cond; what): if cond then . else error(what) end;
def near(a; b): (a | num) and (b | num) and ([a, b] | (.[0] - .[1]) * (.[0] - .[1]) <= 1e-12 * (1 + .[1] * .[1]));
  ok(.schema == "mmaptimer/1"; "schema")
| ok(.tool.name == "mmaptimer"; "tool.name")
| ok(.tool.version | test("^[0-9]+\\.[0-9]+\\.[0-9]+"); "tool.version")
| ok(.env.kernel | type == "string" and length > 0; "env.kernel")
| ok(.env.filesystem.type | type == "string" and length > 0; "env.filesystem.type")
| ok(.config.op == "write"; "config.op")
| ok(.config.size == $size; "config.size")
| ok(.config.chunks == $chunks; "config.chunks")
| ok(.config.methods == $methods; "config.methods")
| ok(.config.runs == $runs; "config.runs")
| ok(.config.warmup | num; "config.warmup")
| ok(.config.options == {"sync": "none", "batch": 16, "stdio_buffer": 0, "queue_depth": 8, "madvise": null};
     "config.options")
| ok(.results | type == "array" and length == ($chunks | length) * ($methods | length); "results length")
| ok([.results[] | [.method, .chunk]] | sort == ([$methods[] as $m | $chunks[] as $c | [$m, $c]] | sort);
     "one result per (method, chunk)")
| ok(all(.results[];
        .op == "write"
        and .available == true and (has("why") | not)
        and (.method | type == "string")
        and .size == $size
        and (.chunk | num)
        and (.seconds | type == "array" and length == $runs and all(.[]; num))
        and (.median | num) and (.min | num) and (.max | num)
        and .min <= .median and .median <= .max
        and (.phases | keys == ["setup", "sync", "teardown", "transfer"] and all(.[]; num and . >= 0))
        and (.counters | keys == (["syscalls", "minflt", "majflt", "utime", "stime", "nvcsw", "nivcsw",
                                   "storage_bytes", "storage_read_bytes"] | sort)
             and all(del(.storage_bytes, .storage_read_bytes)[]; num and . >= 0)
             and (if $io then (.storage_bytes | num and . >= 0) and (.storage_read_bytes | num and . >= 0)
                  else .storage_bytes == null and .storage_read_bytes == null end))
        and (.method != "null" or .counters.storage_bytes == 0 or .counters.storage_bytes == null)
        and (.derived | keys == ["faults_per_mib", "sys_share", "syscalls_per_mib"])
        and (.derived.syscalls_per_mib | num)
        and near(.derived.syscalls_per_mib; .counters.syscalls * 1048576 / .size)
        and near(.derived.faults_per_mib; (.counters.minflt + .counters.majflt) * 1048576 / .size)
        and (.derived.sys_share == null or (.derived.sys_share | num and . >= 0 and . <= 1))
        and (if .method == "null" then .verified == null else .verified == true end));
     "a result entry is malformed")
| true
'

# check_json FILE RUNS SIZE CHUNKS_JSON METHODS_JSON
check_json() {
	local io=false
	[ -r /proc/self/io ] && io=true
	run jq -e --argjson runs "$2" --argjson size "$3" --argjson chunks "$4" \
		--argjson methods "$5" --argjson io "$io" "$JSON_CHECK" "$1"
	if [ "$status" -ne 0 ]; then
		cat "$1" >&2
		fail "JSON check failed: $output"
	fi
}

@test "table: header, one row per chunk size, a verdict line" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1,4K,64K --runs 1
	assert_status 0
	[ -z "$stderr" ] || fail "stderr not empty (progress only goes to a terminal): $stderr"
	[[ ${lines[0]} =~ ^mmaptimer\ [0-9]+\.[0-9]+\.[0-9]+:\ write\ a\ 64\ KiB\ file,\ 3\ chunk\ sizes,\ 1\ run\ per\ point,\ page\ cache\ only$ ]] ||
		fail "title line: ${lines[0]}"
	[[ ${lines[1]} == "in $WORK ("* ]] || fail "second line does not name the directory: ${lines[1]}"
	[[ ${lines[2]} =~ ^\ +chunk\ +mmap\ +write\ +write/mmap$ ]] || fail "column header: ${lines[2]}"
	[[ ${lines[3]} =~ ^\ +median\ +min-max\ +median\ +min-max\ *$ ]] || fail "second header: ${lines[3]}"
	local rows
	rows=$(printf '%s\n' "${lines[@]}" | grep -cE '^ +[0-9.]+ (B|KiB|MiB|GiB) {2}')
	[ "$rows" -eq 3 ] || fail "expected 3 rows, got $rows: $output"
	[[ ${lines[4]} =~ ^\ +1\ B\  ]] || fail "first row is not 1 B: ${lines[4]}"
	[[ ${lines[5]} =~ ^\ +4\ KiB\  ]] || fail "second row is not 4 KiB: ${lines[5]}"
	[[ ${lines[6]} =~ ^\ +64\ KiB\  ]] || fail "third row is not 64 KiB: ${lines[6]}"
	[[ ${lines[7]} == "times: "* ]] || fail "no times line: ${lines[7]}"
	printf '%s\n' "${lines[@]}" | grep -qE '^verdict: ((mmap|write) |the lead changes [0-9]+ times: )' || fail "no verdict line: $output"
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '^verdict:')" -eq 1 ]
	assert_dir_empty "$WORK"
}

@test "table: three methods get the long layout, one row per (chunk, method)" {
	run --separate-stderr "$MMAPTIMER" --size 4K --chunks 1K,4K --methods mmap,write,null --runs 1
	assert_status 0
	[[ ${lines[2]} =~ ^\ +chunk\ +method\ +median\ +min-max\ +vs\ best\ +why$ ]] || fail "column header: ${lines[2]}"
	# Each chunk size starts its group of rows; the methods follow in order.
	[ "$(printf '%s\n' "${lines[@]}" | grep -cE '^ +[0-9.]+ (B|KiB) {2}')" -eq 2 ]
	[[ ${lines[3]} =~ ^\ +1\ KiB\ +mmap\  ]] || fail "row 1: ${lines[3]}"
	[[ ${lines[4]} =~ ^\ +write\  ]] || fail "row 2: ${lines[4]}"
	[[ ${lines[5]} =~ ^\ +null\ .*\ -\ +the\ loop\ alone$ ]] || fail "row 3: ${lines[5]}"
	[[ ${lines[6]} =~ ^\ +4\ KiB\ +mmap\  ]] || fail "row 4: ${lines[6]}"
	[[ ${lines[7]} =~ ^\ +write\  ]] || fail "row 5: ${lines[7]}"
	[[ ${lines[8]} =~ ^\ +null\  ]] || fail "row 6: ${lines[8]}"
	[[ ${lines[9]} == "times: "* ]] || fail "no times line after 6 rows: ${lines[9]}"
	# One fastest per chunk among the file methods; the others a ratio.
	[ "$(printf '%s\n' "${lines[@]:3:6}" | grep -c ' fastest ')" -eq 2 ] || fail "expected 2 'fastest': $output"
	[ "$(printf '%s\n' "${lines[@]:3:6}" | grep -cE ' [0-9]+\.[0-9]{2}x ')" -eq 2 ] || fail "expected 2 ratios: $output"
	[ "$(printf '%s\n' "${lines[@]:3:6}" | grep -cE ' [0-9.]+K? faults( \([0-9.]+K? major\))?, [0-9.]+K? calls')" -eq 4 ] ||
		fail "expected 4 'faults, calls' explanations: $output"
	printf '%s\n' "${lines[@]}" | grep -qE '^verdict: ((mmap|write) |the lead changes [0-9]+ times: )' || fail "no verdict: $output"
	# Two file methods: no 'fastest:' summary line.
	! printf '%s\n' "${lines[@]}" | grep -q '^fastest: ' || fail "'fastest:' with two file methods: $output"
	assert_dir_empty "$WORK"
}

@test "csv: a 25-field header and one row per (method, chunk) point" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1,4K,64K --methods mmap,write,null \
		--runs 2 --format csv
	assert_status 0
	[ -z "$stderr" ]
	[ "${lines[0]}" = "$CSV_HEADER" ] || fail "header: ${lines[0]}"
	[ "$(awk -F, '{ print NF }' <<<"${lines[0]}")" -eq 25 ]
	[ "${#lines[@]}" -eq 10 ] || fail "expected 1 + 9 lines, got ${#lines[@]}: $output"
	local bad
	bad=$(printf '%s\n' "${lines[@]:1}" | awk -F, '
		NF != 25 { print "fields: " $0; next }
		$1 != "write" || $3 != 65536 || $5 != 2 { print "op/size/runs: " $0; next }
		$2 !~ /^(mmap|write|null)$/ || $4 !~ /^(1|4096|65536)$/ { print "method/chunk: " $0; next }
		$2 == "null" && $19 != "" { print "null verified: " $0; next }
		$2 != "null" && $19 != "true" { print "not verified: " $0; next }
		{ for (i = 6; i <= 21; i++) if (i != 19 && $i !~ /^[0-9.e+-]+$/) { print "not a number: " $0; next } }
		$2 == "null" && $21 != 0 { print "null storage_bytes: " $0; next }
		$22 != "true" || $23 != "" { print "available/why: " $0; next }
		$24 !~ /^[0-9]*$/ || $25 != "" { print "storage_read_bytes/resident: " $0; next }
		{ seen[$2 "," $4]++ }
		END { for (k in seen) if (seen[k] != 1) print "duplicate point " k }')
	[ -z "$bad" ] || fail "bad rows:" "$bad"
	[ "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f2,4 | sort -u | wc -l)" -eq 9 ]
	assert_dir_empty "$WORK"
}

@test "json: a valid mmaptimer/1 document with every field" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1,4K,64K --methods mmap,write,null \
		--runs 2 --format json
	assert_status 0
	[ -z "$stderr" ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.json"
	check_json "$BATS_TEST_TMPDIR/out.json" 2 65536 '[1,4096,65536]' '["mmap","write","null"]'
	# The run directory and the filesystem it is on.
	[ "$(jq -r .env.dir "$BATS_TEST_TMPDIR/out.json")" = "$WORK" ]
	[ "$(jq -r .config.dir "$BATS_TEST_TMPDIR/out.json")" = "." ]
	assert_dir_empty "$WORK"
}

@test "json: --warmup is recorded and adds no results" {
	run --separate-stderr "$MMAPTIMER" --size 4K --chunks 4K --runs 1 --warmup 2 --format json
	assert_status 0
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.json"
	check_json "$BATS_TEST_TMPDIR/out.json" 1 4096 '[4096]' '["mmap","write"]'
	[ "$(jq .config.warmup "$BATS_TEST_TMPDIR/out.json")" -eq 2 ]
	assert_dir_empty "$WORK"
}

@test "--output FILE writes the file, nothing on stdout, nothing else left" {
	umask 022
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1K,64K --runs 1 --format json \
		--output out.json
	assert_status 0
	[ -z "$output" ] || fail "stdout not empty: $output"
	[ -z "$stderr" ] || fail "stderr not empty: $stderr"
	[ -f out.json ] || fail "no out.json"
	check_json out.json 1 65536 '[1024,65536]' '["mmap","write"]'
	[ "$(stat -c %a out.json)" = 644 ] || fail "mode $(stat -c %a out.json), expected 644 under umask 022"
	assert_dir_empty "$WORK" out.json
}

@test "--output FILE in another directory than --dir; --output - is stdout" {
	mkdir run res
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 64K --runs 1 --format csv \
		--dir run --output res/out.csv
	assert_status 0
	[ -z "$output" ]
	[ "$(head -n1 res/out.csv)" = "$CSV_HEADER" ]
	[ "$(wc -l <res/out.csv)" -eq 3 ]
	assert_dir_empty "$WORK/run"
	assert_dir_empty "$WORK/res" out.csv

	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 64K --runs 1 --format csv --dir run --output -
	assert_status 0
	[ "${lines[0]}" = "$CSV_HEADER" ]
	[ "${#lines[@]}" -eq 3 ]
	assert_dir_empty "$WORK" run res
	assert_dir_empty "$WORK/run"
}

@test "--chunks 1:1K gives 11 chunk sizes" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1:1K --methods null --runs 1 --format json
	assert_status 0
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.json"
	check_json "$BATS_TEST_TMPDIR/out.json" 1 65536 '[1,2,4,8,16,32,64,128,256,512,1024]' '["null"]'
	# And the same range with the methods that write files, as a table.
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1:1K --runs 1
	assert_status 0
	[ "$(printf '%s\n' "${lines[@]}" | grep -cE '^ +[0-9.]+ (B|KiB) {2}')" -eq 11 ]
	assert_dir_empty "$WORK"
}

@test "--chunks 1K:1M:x4 multiplies by 4" {
	run --separate-stderr "$MMAPTIMER" --size 1M --chunks 1K:1M:x4 --runs 1 --format csv
	assert_status 0
	[ "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f4 | sort -nu | tr '\n' ' ')" = "1024 4096 16384 65536 262144 1048576 " ]
	[ "${#lines[@]}" -eq 13 ]
	assert_dir_empty "$WORK"
}

@test "--chunks lists are sorted and de-duplicated; ranges stop at their end" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 4K,1,4K,1:4,3:64:x5 --methods null --runs 1 --format json
	assert_status 0
	[ "$(jq -c .config.chunks <<<"$output")" = "[1,2,3,4,15,4096]" ] ||
		fail "chunks: $(jq -c .config.chunks <<<"$output")"
	[ "$(jq '.results | length' <<<"$output")" -eq 6 ]
	# Suffixes: K, KiB, B, any case.
	run --separate-stderr "$MMAPTIMER" --size 1m --chunks 1k,2KiB,3b,1MIB --methods null --runs 1 --format json
	assert_status 0
	[ "$(jq -c .config.chunks <<<"$output")" = "[3,1024,2048,1048576]" ]
	[ "$(jq .config.size <<<"$output")" -eq 1048576 ]
}

@test "--size without --chunks: the classic chunks below it and the size itself" {
	run --separate-stderr "$MMAPTIMER" --size 64K --methods null --runs 1 --format json
	assert_status 0
	[ "$(jq -c .config.chunks <<<"$output")" = "[1,8,16,64,128,256,1024,8192,65536]" ] ||
		fail "chunks: $(jq -c .config.chunks <<<"$output")"
	# A size that is not a power of two is the last chunk.
	run --separate-stderr "$MMAPTIMER" --size 100 --methods null --runs 1 --format json
	assert_status 0
	[ "$(jq -c .config.chunks <<<"$output")" = "[1,8,16,64,100]" ]
}

@test "the full classic experiment as JSON: 30 results, all verified" {
	run --separate-stderr "$MMAPTIMER" --runs 1 --format json --quiet
	assert_status 0
	[ -z "$stderr" ] || fail "stderr not empty: $stderr"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.json"
	check_json "$BATS_TEST_TMPDIR/out.json" 1 10485760 \
		'[1,8,16,64,128,256,1024,8192,131072,262144,524288,1048576,2097152,5242880,10485760]' \
		'["mmap","write"]'
	[ "$(jq '.results | length' "$BATS_TEST_TMPDIR/out.json")" -eq 30 ]
	[ "$(jq '[.results[] | select(.verified == true)] | length' "$BATS_TEST_TMPDIR/out.json")" -eq 30 ]
	assert_dir_empty "$WORK"
}

@test "no stray files after runs of every method, with warmups, in --dir and the cwd" {
	mkdir d
	: >mine
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1K,8K,64K --methods all --runs 2 \
		--warmup 1 --dir d --quiet
	assert_status 0
	assert_dir_empty "$WORK/d"
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 8K --methods all --runs 1 --quiet --format csv
	assert_status 0
	assert_dir_empty "$WORK" d mine
}

@test "two instances at once in the same directory both succeed" {
	"$MMAPTIMER" --size 1M --chunks 64,4K,1M --runs 2 --format json --quiet >a.json 2>a.err 3>&- &
	local pa=$!
	"$MMAPTIMER" --size 1M --chunks 64,4K,1M --runs 2 --format json --quiet >b.json 2>b.err 3>&- &
	local pb=$! sa sb
	BGPID="$pa $pb"
	wait_bounded "$pa" 120
	sa=$WAIT_STATUS
	wait_bounded "$pb" 120
	sb=$WAIT_STATUS
	[ "$sa" -eq 0 ] || fail "first instance: status $sa: $(cat a.err)"
	[ "$sb" -eq 0 ] || fail "second instance: status $sb: $(cat b.err)"
	[ ! -s a.err ] && [ ! -s b.err ]
	check_json a.json 2 1048576 '[64,4096,1048576]' '["mmap","write"]'
	check_json b.json 2 1048576 '[64,4096,1048576]' '["mmap","write"]'
	assert_dir_empty "$WORK" a.json a.err b.json b.err
}
