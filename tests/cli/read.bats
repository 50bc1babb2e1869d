#!/usr/bin/env bats
# read.bats - mmaptimer read: warm and cold page cache (confirmed by
# mincore, per run), sequential and random order, every read checked by
# checksum, a file that shrinks under the reader, and bad input.
# Structure and counts, never speed.

load common

READ_METHODS="mmap read pread stdio direct uring"

# read_json ARGS...: run `mmaptimer read --format json ARGS` in $DISK,
# expecting success; the document is left in $WORK/out.json.
read_json() {
	run --separate-stderr "$MMAPTIMER" read --format json --dir "$DISK" "$@"
	assert_status 0
	printf '%s\n' "$output" >"$WORK/out.json"
	jq -e . "$WORK/out.json" >/dev/null || fail "not JSON: $output"
}

@test "read --help names every option and method" {
	run --separate-stderr "$MMAPTIMER" read --help
	assert_status 0
	local w
	for w in --size --chunks --methods --runs --dir --cache --drop-caches --pattern --seed \
		--advice --format --output $READ_METHODS; do
		[[ $output == *"$w"* ]] || fail "help does not mention $w"
	done
}

@test "read --cache cold: every run starts with at most 1% resident; mmap takes major faults, read() reads the bytes in" {
	skip_under_valgrind "valgrind reads the start of every file the program maps (for debug information), so the file is no longer cold"
	disk_dir
	read_json --size 4M --chunks 4K,1M --methods mmap,read --runs 2 --cache cold
	jq -e '.config.options.read.cache == "cold" and .config.op == "read"' "$WORK/out.json" >/dev/null ||
		jq -e '.config.options.read.cache == "cold"' "$WORK/out.json" >/dev/null || fail "config: $output"
	# Every run's resident share, before its timer, is known and <= 1 %.
	jq -e '[.results[] | .cache.resident_runs | length == 2] | all' "$WORK/out.json" >/dev/null ||
		fail "not one resident figure per run: $output"
	jq -e '[.results[] | .cache.resident_runs[] | . != null and . <= 0.01] | all' "$WORK/out.json" >/dev/null ||
		fail "a run was not cold: $output"
	jq -e '[.results[] | .cache.cold_confirmed and .verified] | all' "$WORK/out.json" >/dev/null ||
		fail "cold not confirmed: $output"
	jq -e '[.results[] | select(.method == "mmap") | .counters.majflt >= 1] | all' "$WORK/out.json" >/dev/null ||
		fail "mmap took no major fault on a cold file: $output"
	# read() brings the file in from storage, every byte of it.
	jq -e '[.results[] | select(.method == "read") | .counters.storage_read_bytes >= 4194304] | all' \
		"$WORK/out.json" >/dev/null || fail "read() did not read the file from storage: $output"
	assert_dir_empty "$DISK" out.json out err
}

@test "read --cache cold: the table says the cache was confirmed cold" {
	skip_under_valgrind "valgrind reads the start of every file the program maps (for debug information), so the file is no longer cold"
	disk_dir
	run --separate-stderr "$MMAPTIMER" read --size 1M --chunks 64K --runs 1 --cache cold --dir "$DISK"
	assert_status 0
	[[ $output == *"cold cache, sequential order"* ]] || fail "header: $output"
	[[ $output == *"cache: cold, confirmed"* ]] || fail "no confirmation: $output"
	[[ $output == *"major"* ]] || fail "no major faults in the why line: $output"
	[[ $output == *"tool's peak resident memory:"* ]] || fail "no peak memory: $output"
	assert_dir_empty "$DISK" out.json out err
}

@test "read --cache warm: no major faults and nothing read from storage" {
	disk_dir
	read_json --size 4M --chunks 4K,1M --methods mmap,read,pread --runs 2 --cache warm
	jq -e '[.results[] | .counters.majflt == 0] | all' "$WORK/out.json" >/dev/null ||
		fail "major faults on a warm file: $output"
	jq -e '[.results[] | .cache.resident_runs[] | . >= 0.99] | all' "$WORK/out.json" >/dev/null ||
		fail "warm runs did not start resident: $output"
	jq -e '[.results[] | .counters.storage_read_bytes == 0] | all' "$WORK/out.json" >/dev/null ||
		fail "a warm read went to storage: $output"
	assert_dir_empty "$DISK" out.json out err
}

@test "read --methods all, sequential and random: every available point verified, the rest say why" {
	disk_dir
	local order
	for order in seq random; do
		read_json --size 1M --chunks 1,4K,100000 --methods all --runs 1 --pattern $order
		jq -e --arg o "$order" '.config.options.read.pattern == $o' "$WORK/out.json" >/dev/null ||
			fail "pattern not recorded: $output"
		jq -e '[.results[] | select(.available and .method != "null") | .verified == true and (.seconds | length) == 1] | all' \
			"$WORK/out.json" >/dev/null || fail "an available point is not verified: $output"
		jq -e '[.results[] | select(.available | not) | (.why | length) > 0] | all' \
			"$WORK/out.json" >/dev/null || fail "an unavailable point without a reason: $output"
		local m
		for m in mmap read pread null; do
			jq -e --arg m "$m" '[.results[] | select(.method == $m) | .available] | all and length == 3' \
				"$WORK/out.json" >/dev/null || fail "$m did not run every point ($order): $output"
		done
		# O_DIRECT cannot align 1-byte or 100000-byte chunks: unavailable, with the reason.
		jq -e '[.results[] | select(.method == "direct" and .chunk == 1) | .available == false and (.why | test("align"))] | all' \
			"$WORK/out.json" >/dev/null || fail "direct at 1 B: $output"
		if [ $order = random ]; then
			jq -e '[.results[] | select(.method == "stdio") | .available == false and (.why | test("fseeko"))] | all' \
				"$WORK/out.json" >/dev/null || fail "stdio random should be unavailable: $output"
		fi
	done
	assert_dir_empty "$DISK" out.json out err
}

@test "read --pattern random: the same seed gives the same work; the seed is recorded" {
	disk_dir
	read_json --size 256K --chunks 4K --methods read --runs 1 --pattern random --seed 42
	jq -e '.config.options.read.seed == 42 and .results[0].verified' "$WORK/out.json" >/dev/null ||
		fail "seed not recorded: $output"
	# lseek + read per chunk: the call count shows the random walk.
	jq -e '.results[0].counters.syscalls >= 128' "$WORK/out.json" >/dev/null ||
		fail "random read() did not seek per chunk: $output"
}

@test "read --advice reaches every method and is recorded" {
	disk_dir
	local a
	for a in normal sequential random willneed; do
		read_json --size 1M --chunks 64K --methods mmap,read --runs 1 --advice $a
		jq -e --arg a "$a" '.config.options.read.advice == $a' "$WORK/out.json" >/dev/null ||
			jq -e --arg a "$a" '.config.options.madvise == $a' "$WORK/out.json" >/dev/null ||
			fail "advice $a not recorded: $output"
		jq -e '[.results[] | .verified] | all' "$WORK/out.json" >/dev/null || fail "not verified: $output"
	done
	assert_dir_empty "$DISK" out.json out err
}

@test "read: a corrupted file is a checksum error, exit 1, never a number" {
	disk_dir
	MMAPTIMER_TEST_CORRUPT=4097 run --separate-stderr "$MMAPTIMER" read --size 64K --chunks 4K \
		--methods read --runs 1 --dir "$DISK"
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "checksum"
	assert_dir_empty "$DISK" out.json out err
}

@test "read: a file that shrinks under every method is an error, exit 1, file removed" {
	disk_dir
	local m
	for m in mmap read pread stdio direct uring; do
		if [ $m = uring ] && ! uring_works; then
			continue
		fi
		MMAPTIMER_TEST_SHRINK=8192 run --separate-stderr "$MMAPTIMER" read --size 1M --chunks 64K \
			--methods $m --runs 1 --dir "$DISK"
		assert_status 1
		assert_no_stdout
		assert_stderr_contains "shrank"
		assert_dir_empty "$DISK" out.json out err
	done
}

@test "read: another process truncating the file mid-run does not kill the tool: exit 1 with a message" {
	disk_dir
	"$MMAPTIMER" read --size 256M --chunks 4K --methods mmap --runs 200 --cache warm --quiet \
		--dir "$DISK" >"$WORK/out" 2>"$WORK/err" &
	BGPID=$!
	wait_for_file "$DISK" 'mmaptimer-*' 20 || fail "the tool's file never appeared"
	# Let it get going, then cut the file to nothing behind its back.
	sleep 1
	local f
	for f in "$DISK"/mmaptimer-*; do
		truncate -s 0 "$f"
	done
	wait_bounded "$BGPID" 60
	BGPID=
	[ "$WAIT_STATUS" -eq 1 ] || fail "exit status $WAIT_STATUS, stderr: $(cat "$WORK/err")"
	grep -qE 'shrank|checksum|differs' "$WORK/err" || fail "no message: $(cat "$WORK/err")"
	[ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "more than one line: $(cat "$WORK/err")"
	[ ! -s "$WORK/out" ] || fail "a result was printed: $(cat "$WORK/out")"
	assert_dir_empty "$DISK" out.json out err
}

@test "read: no room for the file is refused before any timing, with the figures" {
	mount_tmpfs "$WORK/small" size=5m
	run --separate-stderr "$MMAPTIMER" read --size 10M --chunks 1M --dir "$WORK/small"
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "MiB"
	assert_dir_empty "$WORK/small"
}

@test "read --cache cold where eviction cannot be confirmed says so instead of claiming cold" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to mount a ramfs"
	mkdir ram
	mount -t ramfs -o mode=0700 ramfs ram 2>/dev/null || skip "cannot mount a ramfs here"
	MOUNTS+=("$WORK/ram")
	run --separate-stderr "$MMAPTIMER" read --size 1M --chunks 64K --methods mmap,read --runs 1 \
		--cache cold --dir ram --format json
	assert_status 0
	jq -e '[.results[] | .cache.cold_confirmed == false] | all' <<<"$output" >/dev/null ||
		fail "claimed cold on ramfs: $output"
	run --separate-stderr "$MMAPTIMER" read --size 1M --chunks 64K --methods read --runs 1 \
		--cache cold --dir ram
	assert_status 0
	[[ $output == *"NOT confirmed cold"* ]] || fail "table does not say so: $output"
	assert_dir_empty "$WORK/ram"
}

@test "read: bad values and options of the other subcommand are usage errors" {
	local args
	while IFS= read -r args; do
		[ -n "$args" ] || continue
		# shellcheck disable=SC2086
		run --separate-stderr "$MMAPTIMER" read $args
		assert_usage_error
	done <<'EOF'
--cache lukewarm
--pattern zigzag
--advice dontcare
--seed x
--seed -1
--madvise random
--sync end
--batch 4
--methods writev
--methods mmap-falloc
--methods nope
--drop-caches
--size 0
--chunks 0
--runs 0
--queue-depth 0
EOF
	run --separate-stderr "$MMAPTIMER" write --cache cold
	assert_usage_error "mmaptimer: option '--cache' is for 'mmaptimer read', not 'mmaptimer write'"
	run --separate-stderr "$MMAPTIMER" write --advice random
	assert_usage_error
	run --separate-stderr "$MMAPTIMER" write --pattern random
	assert_usage_error
}

@test "read: a --dir that is not a directory, or missing, is a usage error" {
	: >plain
	run --separate-stderr "$MMAPTIMER" read --dir plain
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line
	assert_dir_empty "$WORK" plain
	run --separate-stderr "$MMAPTIMER" read --dir nowhere
	assert_status 2
	assert_one_stderr_line
}

@test "read --format csv: one row per point with the read columns" {
	disk_dir
	run --separate-stderr "$MMAPTIMER" read --size 256K --chunks 4K,64K --runs 1 --format csv --dir "$DISK"
	assert_status 0
	[[ ${lines[0]} == *storage_read_bytes,resident* ]] || fail "header: ${lines[0]}"
	[ "${#lines[@]}" -eq 5 ] || fail "expected a header and 4 rows: $output"
	[[ ${lines[1]} == read,* ]] || fail "op column: ${lines[1]}"
}

@test "methods lists which methods read, and they all run here" {
	run --separate-stderr "$MMAPTIMER" methods
	assert_status 0
	local m
	for m in read pread; do
		printf '%s\n' "${lines[@]}" | grep -qE "^$m +read +yes " || fail "no '$m' read row: $output"
	done
	for m in mmap stdio direct null; do
		printf '%s\n' "${lines[@]}" | grep -qE "^$m +write,read +(yes|no) " || fail "'$m' does not read: $output"
	done
	printf '%s\n' "${lines[@]}" | grep -qE "^uring +write,read +(yes|no) " || fail "uring row: $output"
}

@test "read: a file over 1 GiB reads with the tool's memory bounded (under 64 MiB plus a chunk)" {
	skip_under_valgrind "valgrind's own memory counts in the tool's peak resident memory"
	disk_dir
	local avail
	avail=$(df -Pk "$DISK" | awk 'NR == 2 { print $4 }')
	[ "$avail" -gt $((3 * 1024 * 1024)) ] || skip "needs 3 GiB free in $DISK"
	read_json --size 1100M --chunks 1M --methods mmap,read --runs 1 --cache warm
	jq -e '[.results[] | .verified] | all' "$WORK/out.json" >/dev/null || fail "not verified: $output"
	jq -e '.tool_peak_rss_bytes > 0 and .tool_peak_rss_bytes < (64 + 1) * 1048576' "$WORK/out.json" >/dev/null ||
		fail "peak memory $(jq .tool_peak_rss_bytes "$WORK/out.json") bytes for a 1100 MiB file"
	assert_dir_empty "$DISK" out.json
}

# The schema file is the documented contract: both operations' JSON must
# satisfy it, checked with a real JSON Schema validator (Debian's
# python3-jsonschema, which .ci/run installs).
@test "read and write --format json validate against doc/mmaptimer-1.schema.json" {
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema is not installed"
	schema="$BATS_TEST_DIRNAME/../../doc/mmaptimer-1.schema.json"
	run -0 "$MMAPTIMER" read --size 64K --chunks 4K,64K --runs 2 --cache cold --pattern random -m all -q -f json -o read.json
	run -0 "$MMAPTIMER" write --size 64K --chunks 4K,64K --runs 2 -m all -q -f json -o write.json
	run -0 /usr/bin/python3 -c '
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
for f in sys.argv[2:]:
    v.validate(json.load(open(f)))
print("valid")' "$schema" read.json write.json
	[ "$output" = valid ]
	# The read-only members are there to be validated.
	run -0 jq -e '.tool_peak_rss_bytes > 0 and .config.options.read.cache == "cold"
		and ([.results[] | select(.available) | .cache.resident_runs | length] | all(. == 2))' read.json
}
