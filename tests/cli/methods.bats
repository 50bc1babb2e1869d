#!/usr/bin/env bats
# methods.bats - the write methods beyond mmap and write: the methods list
# and where a method cannot run (per filesystem, per point), the long
# table, --phases, and the durability options (--sync) with the bytes they
# send to storage.  Structure and counts, never speed.

load common

FILE_METHODS="mmap mmap-falloc mmap-populate write pwrite writev pwritev stdio direct uring"

@test "methods: every write method listed with yes/no; uring says why when it cannot run" {
	run --separate-stderr "$MMAPTIMER" methods
	assert_status 0
	[ -z "$stderr" ] || fail "stderr: $stderr"
	[[ ${lines[0]} =~ ^method\ +ops\ +available\ +description$ ]] || fail "header: ${lines[0]}"
	local m n=0
	for m in $FILE_METHODS null; do
		printf '%s\n' "${lines[@]}" | grep -qE "^$m +write(,read)? +(yes|no) +[^ ]" || fail "no row for '$m': $output"
		n=$((n + 1))
	done
	[ "$(printf '%s\n' "${lines[@]}" | grep -cE '^[a-z-]+ +write(,read)? +(yes|no) ')" -ge 10 ]
	# Everything but uring runs on any disk filesystem with O_DIRECT.
	for m in mmap mmap-falloc mmap-populate write pwrite writev pwritev stdio null; do
		printf '%s\n' "${lines[@]}" | grep -qE "^$m +write(,read)? +yes " || fail "'$m' is not available: $output"
	done
	if uring_works; then
		printf '%s\n' "${lines[@]}" | grep -qE '^uring +write(,read)? +yes ' || fail "uring unavailable though built with liburing: $output"
		# Every line is a method or its reason; here no reasons.
		! printf '%s\n' "${lines[@]}" | grep -q 'not here:' || fail "a method cannot run: $output"
	elif ! uring_built; then
		local i
		for i in "${!lines[@]}"; do
			[[ ${lines[i]} =~ ^uring\ +write(,read)?\ +no\  ]] && break
		done
		[[ ${lines[i]} =~ ^uring\ +write(,read)?\ +no\  ]] || fail "uring is not 'no': $output"
		[[ ${lines[i + 1]} =~ ^\ +not\ here:\ built\ without\ liburing ]] || fail "no reason under uring: ${lines[i + 1]}"
	fi
	if [ "$(stat -f -c %T .)" != tmpfs ] && [ "$(stat -f -c %T .)" != ramfs ]; then
		printf '%s\n' "${lines[@]}" | grep -qE '^direct +write(,read)? +yes ' || fail "direct unavailable on $(stat -f -c %T .)"
	fi
	assert_dir_empty "$WORK"
}

@test "methods --dir on a filesystem without O_DIRECT or fallocate (ramfs) says so" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to mount a ramfs"
	mkdir ram
	mount -t ramfs -o mode=0700 ramfs ram 2>/dev/null || skip "cannot mount a ramfs here"
	MOUNTS+=("$WORK/ram")
	command -v python3 >/dev/null || skip "no python3 to check whether ramfs takes O_DIRECT"
	: >ram/probe
	if python3 -c 'import os,sys; os.open(sys.argv[1], os.O_WRONLY | os.O_DIRECT)' ram/probe 2>/dev/null; then
		skip "this kernel's ramfs accepts O_DIRECT"
	fi
	rm ram/probe
	run --separate-stderr "$MMAPTIMER" methods --dir ram
	assert_status 0
	printf '%s\n' "${lines[@]}" | grep -qE '^direct +write(,read)? +no ' || fail "direct is not 'no': $output"
	printf '%s\n' "${lines[@]}" | grep -qE '^ +not here: the filesystem refuses O_DIRECT' || fail "no O_DIRECT reason: $output"
	printf '%s\n' "${lines[@]}" | grep -qE '^mmap-falloc +write(,read)? +no ' || fail "mmap-falloc is not 'no': $output"
	printf '%s\n' "${lines[@]}" | grep -q 'not here: the filesystem does not support fallocate()' || fail "no fallocate reason: $output"
	printf '%s\n' "${lines[@]}" | grep -qE '^write +write(,read)? +yes ' || fail "write is not 'yes': $output"
	# A run there reports those points unavailable and runs the rest.
	run --separate-stderr "$MMAPTIMER" --dir ram --size 64K --chunks 4K,64K --methods direct,mmap-falloc,write \
		--runs 1 --quiet --format json
	assert_status 0
	run jq -e '[.results[] | select(.method != "write") | .available == false and (.why | type == "string" and length > 0)
		and .median == null and .counters == null and .verified == null] | length == 4 and all' <<<"$output"
	[ "$status" -eq 0 ] || fail "unavailable points: $output"
	assert_dir_empty "$WORK/ram"
	# Nothing can run: exit 1 with the reason.
	run --separate-stderr "$MMAPTIMER" --dir ram --size 64K --chunks 4K --methods direct --runs 1 --quiet
	assert_status 1
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: no method can run here: direct: the filesystem refuses O_DIRECT: Invalid argument"
	assert_dir_empty "$WORK/ram"
}

@test "json: --methods all, every available point verified; direct n/a at 1 B with a reason" {
	run --separate-stderr "$MMAPTIMER" write --methods all --size 64K --chunks 1,512,4K,64K --runs 1 --format json
	assert_status 0
	[ -z "$stderr" ] || fail "stderr: $stderr"
	local json=$output
	[ "$(jq -c .config.methods <<<"$json")" = '["mmap","mmap-falloc","mmap-populate","write","pwrite","writev","pwritev","stdio","direct","uring","null"]' ] ||
		fail "methods: $(jq -c .config.methods <<<"$json")"
	[ "$(jq '.results | length' <<<"$json")" -eq 44 ]
	# Available points: figures, verified (null for null); unavailable
	# ones: no figures, a reason.
	run jq -e 'all(.results[] | select(.available == true);
			(.seconds | length == 1) and (.median | type == "number")
			and (.phases.sync | type == "number") and (.counters.syscalls | type == "number")
			and (.derived | type == "object")
			and (if .method == "null" then .verified == null else .verified == true end)
			and (has("why") | not))
		and all(.results[] | select(.available != true);
			.available == false and (.why | type == "string" and length > 0)
			and .seconds == [] and .median == null and .min == null and .max == null
			and .phases == null and .counters == null and .derived == null and .verified == null)' <<<"$json"
	[ "$status" -eq 0 ] || fail "malformed points: $json"
	# direct at 1 B cannot be aligned for O_DIRECT.
	run jq -e '.results[] | select(.method == "direct" and .chunk == 1) | .available == false and (.why | test("alignment"))' <<<"$json"
	[ "$status" -eq 0 ] || fail "direct at 1 B: $(jq -c '.results[] | select(.method == "direct" and .chunk == 1)' <<<"$json")"
	# Only direct (off its alignment) and uring (without liburing) may be
	# unavailable; direct runs at 4K and 64K wherever O_DIRECT works.
	run jq -e -r '[.results[] | select(.available == false) | .method] - ["direct", "uring"] == []' <<<"$json"
	[ "$status" -eq 0 ] || fail "unexpected unavailable points: $(jq -c '[.results[] | select(.available == false) | [.method, .chunk, .why]]' <<<"$json")"
	run jq -e '[.results[] | select(.method == "direct" and .chunk >= 4096) | .available] == [true, true]' <<<"$json"
	[ "$status" -eq 0 ] || fail "direct not available at 4K and 64K"
	if uring_works; then
		run jq -e 'all(.results[] | select(.method == "uring"); .available)' <<<"$json"
		[ "$status" -eq 0 ] || fail "uring unavailable"
	elif ! uring_built; then
		run jq -e 'all(.results[] | select(.method == "uring"); .available == false and (.why | test("liburing")))' <<<"$json"
		[ "$status" -eq 0 ] || fail "uring without liburing: $(jq -c '[.results[] | select(.method == "uring")]' <<<"$json")"
	fi
	# The same points as CSV: unavailable rows have available=false and
	# the reason, and nothing in the figure columns.
	run --separate-stderr "$MMAPTIMER" write --methods direct,null --size 64K --chunks 1,4K --runs 1 --format csv
	assert_status 0
	[[ ${lines[1]} =~ ^write,direct,65536,1,0(,){17}false,\".*alignment.*\",,$ ]] || fail "direct at 1 B: ${lines[1]}"
	[[ ${lines[3]} =~ ^write,direct,65536,4096,1,([^,]+,){13}true,[0-9.e-]+,[0-9]+,true,,[0-9]+,$ ]] || fail "direct at 4K: ${lines[3]}"
	assert_dir_empty "$WORK"
}

@test "table: every method in the long layout, n/a rows with reasons, a 'fastest:' line" {
	run --separate-stderr "$MMAPTIMER" --methods all --size 64K --chunks 1,4K --runs 1
	assert_status 0
	[[ ${lines[2]} =~ ^\ +chunk\ +method\ +median\ +min-max\ +vs\ best\ +why$ ]] || fail "column header: ${lines[2]}"
	# One row per (chunk, method): 2 x 11, each method once per chunk.
	local m rows
	rows=("${lines[@]:3:22}")
	[[ ${lines[25]} == "times: "* ]] || fail "no times line after 22 rows: ${lines[25]}"
	for m in $FILE_METHODS null; do
		[ "$(printf '%s\n' "${rows[@]}" | grep -cE "^ +([0-9.]+ (B|KiB) +)?$m +")" -eq 2 ] || fail "'$m' is not in 2 rows: $output"
	done
	[[ ${rows[0]} =~ ^\ +1\ B\ +mmap\  ]] || fail "first row: ${rows[0]}"
	[[ ${rows[11]} =~ ^\ +4\ KiB\ +mmap\  ]] || fail "row 12: ${rows[11]}"
	printf '%s\n' "${rows[@]}" | grep -qE '^ +direct +n/a: 1 B chunks are not a multiple of the [0-9]+-byte O_DIRECT alignment$' ||
		fail "no n/a row for direct at 1 B: $output"
	[ "$(printf '%s\n' "${rows[@]}" | grep -c ' fastest ')" -eq 2 ] || fail "not one fastest per chunk: $output"
	printf '%s\n' "${rows[@]}" | grep -qE '^ +null +.* - +the loop alone$' || fail "null row: $output"
	printf '%s\n' "${lines[@]}" | grep -qE '^verdict: ((mmap|write) |the lead changes [0-9]+ times: )' || fail "no verdict: $output"
	printf '%s\n' "${lines[@]}" | grep -qE '^fastest: [a-z-]+ from 1 B' || fail "no 'fastest:' line: $output"
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '^fastest: ')" -eq 1 ]
	assert_dir_empty "$WORK"
}

@test "table: --phases shows the four phase columns, one row per (chunk, method), even for 2 methods" {
	run --separate-stderr "$MMAPTIMER" --methods mmap,write --size 64K --chunks 4K,64K --runs 1 --phases
	assert_status 0
	[[ ${lines[2]} =~ ^\ +chunk\ +method\ +median\ +min-max\ +vs\ best\ +setup\ +transfer\ +sync\ +teardown\ *$ ]] ||
		fail "column header: ${lines[2]}"
	# method, median, min-max, vs best, then setup, transfer, sync, teardown.
	local t='[0-9.]+ (ns|us|ms|s)'
	[ "$(printf '%s\n' "${lines[@]:3:4}" | grep -cE "(mmap|write) +$t +[0-9.]+(-[0-9.]+)? [a-z]+ +(fastest|[0-9]+\.[0-9]{2}x) +($t *){4}$")" -eq 4 ] ||
		fail "rows without four phase times: $output"
	[[ ${lines[3]} =~ ^\ +4\ KiB\ +mmap\  ]] && [[ ${lines[4]} =~ ^\ +write\  ]] &&
		[[ ${lines[5]} =~ ^\ +64\ KiB\ +mmap\  ]] && [[ ${lines[6]} =~ ^\ +write\  ]] || fail "rows: $output"
	# (bats leaves empty lines out of ${lines[@]}.)
	[[ ${lines[7]} == "times: "* ]] || fail "not 4 rows: $output"
	! printf '%s\n' "${lines[@]}" | grep -q '^why, at' || fail "'why, at' lines with --phases: $output"
	# With three file methods, too.
	run --separate-stderr "$MMAPTIMER" --methods write,pwrite,direct --size 64K --chunks 4K --runs 1 --phases --sync end
	assert_status 0
	[[ ${lines[0]} == *", fsync/msync at the end" ]] || fail "header: ${lines[0]}"
	[[ ${lines[2]} =~ \ setup\ +transfer\ +sync\ +teardown\ *$ ]] || fail "column header: ${lines[2]}"
	[ "$(printf '%s\n' "${lines[@]:3:3}" | grep -cE '^ +(4 KiB +)?(write|pwrite|direct) ')" -eq 3 ] || fail "rows: $output"
	printf '%s\n' "${lines[@]}" | grep -q '^fastest: ' || fail "no 'fastest:' line: $output"
	assert_dir_empty "$WORK"
}

@test "table: two methods side by side; n/a points and a 'why, at' line under it" {
	run --separate-stderr "$MMAPTIMER" --methods mmap,direct --size 64K --chunks 1,4K,64K --runs 1
	assert_status 0
	[[ ${lines[2]} =~ ^\ +chunk\ +mmap\ +direct\ +direct/mmap$ ]] || fail "column header: ${lines[2]}"
	[[ ${lines[4]} =~ ^\ +1\ B\ +[0-9.]+\ [a-z]+\ +[0-9.-]+\ [a-z]+\ +n/a\ *$ ]] || fail "1 B row: ${lines[4]}"
	printf '%s\n' "${lines[@]}" | grep -qE '^n/a: direct at 1 B: 1 B chunks are not a multiple of the [0-9]+-byte O_DIRECT alignment$' ||
		fail "no n/a line: $output"
	# The smallest chunk has no 'why' line: direct did not run there.
	! printf '%s\n' "${lines[@]}" | grep -q '^why, at 1 B' || fail "a 'why' line for an n/a point: $output"
	printf '%s\n' "${lines[@]}" | grep -qE '^why, at 64 KiB: mmap [0-9]+ faults( \([0-9]+ major\))?, 5 calls(, [0-9.]+ [KM]iB out)?; direct 0 faults, 3 calls' ||
		fail "no 'why, at 64 KiB' line: $output"
	printf '%s\n' "${lines[@]}" | grep -qE '^verdict: ((mmap|direct) |the lead changes [0-9]+ times: )' || fail "no verdict: $output"
	assert_dir_empty "$WORK"
}

@test "--sync end: a sync phase, and at least the file's size sent to storage on a disk" {
	[ -r /proc/self/io ] || skip "no /proc/self/io (kernel without task I/O accounting)"
	disk_dir
	local size=1048576
	run --separate-stderr "$MMAPTIMER" --dir "$DISK" --methods all --size 1M --chunks 64K --runs 1 --quiet --format json --sync end
	assert_status 0
	local json=$output
	[ "$(jq -r .config.options.sync <<<"$json")" = end ]
	run jq -e --argjson size "$size" 'all(.results[] | select(.available);
			(.phases.sync | type == "number" and . >= 0)
			and (if .method == "null" then .counters.storage_bytes == 0 and .verified == null
			     else .counters.storage_bytes >= $size and .verified == true end))' <<<"$json"
	[ "$status" -eq 0 ] || fail "--sync end on $(stat -f -c %T "$DISK"): $(jq -c '[.results[] | [.method, .counters.storage_bytes, .phases.sync]]' <<<"$json")"
	[ "$(jq '[.results[] | select(.available)] | length' <<<"$json")" -ge 10 ]

	# Page cache only: the data is dropped with the file before writeback,
	# only a few KiB of metadata remain; O_DIRECT goes past the cache.
	# Another process's syncfs() on the same filesystem (a parallel build)
	# can write a run's dirty pages back before the file is removed, so
	# up to three tries.
	local try
	for try in 1 2 3; do
		run --separate-stderr "$MMAPTIMER" --dir "$DISK" --methods all --size 1M --chunks 64K --runs 1 --quiet --format json --sync none
		assert_status 0
		json=$output
		[ "$(jq -r .config.options.sync <<<"$json")" = none ]
		run jq -e --argjson size "$size" 'all(.results[] | select(.available);
				(.phases.sync | type == "number" and . >= 0)
				and (if .method == "direct" then .counters.storage_bytes >= $size
				     else .counters.storage_bytes < $size / 2 end))' <<<"$json"
		[ "$status" -ne 0 ] || break
	done
	[ "$status" -eq 0 ] || fail "--sync none: $(jq -c '[.results[] | [.method, .counters.storage_bytes]]' <<<"$json")"

	# The table says what went out, and the header the sync mode.
	run --separate-stderr "$MMAPTIMER" --dir "$DISK" --methods mmap,write,pwrite --size 1M --chunks 64K --runs 1 --quiet --sync end
	assert_status 0
	[[ ${lines[0]} == *"1 run per point, fsync/msync at the end" ]] || fail "header: ${lines[0]}"
	[ "$(printf '%s\n' "${lines[@]}" | grep -cE '^ +(64 KiB +)?(mmap|write|pwrite) .* calls, 1\.[0-9]+ MiB out$')" -eq 3 ] ||
		fail "rows do not say what went out: $output"
	assert_dir_empty "$DISK"
	assert_dir_empty "$WORK"
}

@test "--sync each: runs and verifies, one warning line on stderr unless --quiet" {
	run --separate-stderr "$MMAPTIMER" --methods all --size 64K --chunks 16K,64K --runs 1 --format json --sync each
	assert_status 0
	assert_one_stderr_line "mmaptimer: warning: --sync each forces every chunk to storage: small chunks will take a long time"
	run jq -e '.config.options.sync == "each" and all(.results[] | select(.available);
		if .method == "null" then .verified == null else .verified == true end)
		and ([.results[] | select(.available)] | length >= 16)' <<<"$output"
	[ "$status" -eq 0 ] || fail "--sync each: $output"
	run --separate-stderr "$MMAPTIMER" --methods write,mmap --size 64K --chunks 16K --runs 1 --sync each --quiet
	assert_status 0
	[ -z "$stderr" ] || fail "stderr with --quiet: $stderr"
	[[ ${lines[0]} == *", fsync/msync after every chunk" ]] || fail "header: ${lines[0]}"
	assert_dir_empty "$WORK"
}
