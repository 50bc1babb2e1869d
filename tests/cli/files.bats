#!/usr/bin/env bats
# files.bats - the files the tool creates and the directories it runs in,
# under attack and misuse: a symlink or a file planted at the very name it
# is about to use, an --output that appears during the run, a read-only
# filesystem, a directory removed mid-run, more than there is room for,
# and several instances at once.  Nothing outside is ever touched, nothing
# is left behind, and every failure is one line and exit 1.

load common

# The shim that makes the names predictable: a getrandom() returning 0xab
# bytes, preloaded into the tool.  A name is then
# mmaptimer-<pid>-<sequence>-abababababababab.tmp, the pid known in advance
# to a shell that plants the file and then execs the tool.
setup_file() {
	local shim=$BATS_FILE_TMPDIR/fixedrandom.so
	command -v cc >/dev/null || return 0
	printf '%s\n' '#include <string.h>' '#include <sys/types.h>' \
		'ssize_t getrandom(void *b, size_t n, unsigned f) { (void)f; memset(b, 0xab, n); return (ssize_t)n; }' |
		cc -shared -fPIC -x c - -o "$shim" 2>/dev/null || rm -f "$shim"
}

FIXED=abababababababab

# planted KIND COMMAND [OPTIONS...]: in $WORK/d, plant at the name the
# tool's first file will have either a symlink to $WORK/victim (KIND link),
# a dangling symlink to $WORK/created (KIND dangling) or a hard link to
# $WORK/victim (KIND file), then run the tool with COMMAND and OPTIONS.
planted() {
	local kind=$1 shim=$BATS_FILE_TMPDIR/fixedrandom.so
	shift
	[ -f "$shim" ] || skip "no C compiler to build the getrandom() shim"
	mkdir -p d
	printf 'precious\n' >victim
	run --separate-stderr bash -c '
		kind=$1 shim=$2; shift 2
		name=d/mmaptimer-$$-1-'$FIXED'.tmp
		case $kind in
		link) ln -s "$PWD/victim" "$name" ;;
		dangling) ln -s "$PWD/created" "$name" ;;
		file) ln victim "$name" ;;
		esac
		LD_PRELOAD=$shim ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
			exec "$MMAPTIMER" "$@"' _ "$kind" "$shim" "$@" --dir d --quiet
	PLANTED=$(cd d && ls -A)
}

# check_planted: the run refused the name, the planted thing is still
# there and still what it was, and nothing else was created anywhere.
check_planted() {
	assert_status 1
	assert_no_stdout
	case $PLANTED in
	mmaptimer-*-1-$FIXED.tmp) ;;
	*) fail "expected only the planted name in d, found: $PLANTED" ;;
	esac
	assert_one_stderr_line "mmaptimer: cannot create 'd/$PLANTED': File exists"
	[ "$(cat victim)" = precious ] || fail "the victim changed: $(cat victim)"
	[ ! -e created ] || fail "the dangling link's target was created"
	assert_dir_empty "$WORK" d victim
	assert_dir_empty "$WORK/d" "$PLANTED"
}

@test "a symlink planted at the name of write's file is not followed; its target is unchanged" {
	planted link write --size 64K --chunks 4K --runs 1
	check_planted
	[ -L "d/$PLANTED" ] || fail "the planted link was removed"
}

@test "a symlink planted at the name of read's file is not followed; its target is unchanged" {
	planted link read --size 64K --chunks 4K --runs 1
	check_planted
	[ -L "d/$PLANTED" ] || fail "the planted link was removed"
}

@test "a dangling symlink planted at the name: its target is never created, by write or read" {
	planted dangling write --size 64K --chunks 4K --runs 1 --methods all
	check_planted
	rm -f "d/$PLANTED"
	planted dangling read --size 64K --chunks 4K --runs 1
	check_planted
}

@test "a file planted at the name is never overwritten or removed, by any method" {
	local m
	for m in mmap mmap-falloc mmap-populate write pwrite writev pwritev stdio direct uring; do
		rm -rf d
		planted file write --size 64K --chunks 4K --runs 1 --methods "$m"
		# uring or direct may be unavailable here: then nothing runs at
		# all, which is also fine as long as the file is untouched.
		if [ "$status" -eq 1 ] && [[ ${stderr_lines[0]} == *"no method can run here"* ]]; then
			[ "$(cat victim)" = precious ]
			continue
		fi
		check_planted
		[ "$(cat "d/$PLANTED")" = precious ] || fail "$m changed the planted file"
	done
	rm -rf d
	planted file read --size 64K --chunks 4K --runs 1 --methods all
	check_planted
}

@test "an --output file that appears during the run is not overwritten: exit 1, the run's result not left" {
	"$MMAPTIMER" --quiet --size 8M --chunks 64,4K --runs 2 --format json --output out.json \
		>"$BATS_TEST_TMPDIR/bg.out" 2>"$BATS_TEST_TMPDIR/bg.err" 3>&- &
	BGPID=$!
	wait_for_file "$WORK" 'mmaptimer-*.tmp' 30 || fail "no temporary file appeared"
	printf 'theirs\n' >out.json
	wait_bounded "$BGPID" 120
	BGPID=
	[ "$WAIT_STATUS" -eq 1 ] || fail "status $WAIT_STATUS: $(cat "$BATS_TEST_TMPDIR/bg.err")"
	[ "$(cat "$BATS_TEST_TMPDIR/bg.err")" = "mmaptimer: will not overwrite 'out.json': it appeared during the run" ] ||
		fail "stderr: $(cat "$BATS_TEST_TMPDIR/bg.err")"
	[ "$(cat out.json)" = theirs ] || fail "out.json was changed"
	[ ! -s "$BATS_TEST_TMPDIR/bg.out" ]
	assert_dir_empty "$WORK" out.json
}

@test "--output over a symlink to a file elsewhere: refused, the file elsewhere unchanged" {
	printf 'precious\n' >victim
	ln -s "$WORK/victim" out.json
	run --separate-stderr "$MMAPTIMER" --quiet --size 64K --chunks 4K --runs 1 --format json --output out.json
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: will not overwrite 'out.json': it already exists"
	[ "$(cat victim)" = precious ]
	assert_dir_empty "$WORK" out.json victim
	[ -L out.json ]
}

# ro_dir: $WORK/ro on a read-only filesystem (a read-only tmpfs), or skip.
ro_dir() {
	mount_tmpfs "$WORK/ro" ro,size=1m
}

@test "a read-only filesystem: write and read refuse it up front, exit 1, one line" {
	ro_dir
	local cmd
	for cmd in write read; do
		run --separate-stderr "$MMAPTIMER" "$cmd" --size 64K --chunks 4K --runs 1 --quiet --dir ro
		assert_status 1
		assert_no_stdout
		assert_one_stderr_line "mmaptimer: cannot write in directory 'ro': Read-only file system"
	done
	# The classic run too, with --output elsewhere: nothing created there.
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --quiet --dir ro --output out.json
	assert_status 1
	assert_dir_empty "$WORK" ro
}

@test "a read-only bind mount of a writable directory is refused the same way" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to bind-mount"
	mkdir -p src ro
	mount --bind src ro 2>/dev/null || skip "cannot bind-mount here"
	MOUNTS+=("$WORK/ro")
	mount -o remount,bind,ro ro 2>/dev/null || skip "cannot remount a bind mount read-only here"
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 4K --runs 1 --quiet --dir ro
	assert_status 1
	assert_one_stderr_line "mmaptimer: cannot write in directory 'ro': Read-only file system"
	assert_dir_empty "$WORK/src"
}

@test "read: the --dir removed in the middle of a sweep: exit 1, one line, no result" {
	mkdir -p gone
	"$MMAPTIMER" read --quiet --dir gone --size 8M --chunks 4K,1M --runs 50 \
		>"$BATS_TEST_TMPDIR/bg.out" 2>"$BATS_TEST_TMPDIR/bg.err" 3>&- &
	BGPID=$!
	wait_for_file gone 'mmaptimer-*.tmp' 30 || fail "no temporary file appeared"
	sleep 0.2
	rm -rf gone
	wait_bounded "$BGPID" 60
	BGPID=
	[ "$WAIT_STATUS" -eq 1 ] || fail "status $WAIT_STATUS: $(cat "$BATS_TEST_TMPDIR/bg.err")"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/bg.err")" -eq 1 ] || fail "stderr: $(cat "$BATS_TEST_TMPDIR/bg.err")"
	grep -q '^mmaptimer: .*No such file or directory$' "$BATS_TEST_TMPDIR/bg.err" ||
		fail "stderr: $(cat "$BATS_TEST_TMPDIR/bg.err")"
	[ ! -s "$BATS_TEST_TMPDIR/bg.out" ] || fail "a result was printed"
	assert_dir_empty "$WORK"
}

@test "more than the free space of a 5 MiB tmpfs: refused before starting, with both figures" {
	mount_tmpfs "$WORK/small" size=5m
	local cmd
	for cmd in write read; do
		run --separate-stderr "$MMAPTIMER" "$cmd" --size 6M --chunks 1M --runs 1 --quiet --dir small
		assert_status 1
		assert_no_stdout
		assert_one_stderr_line "mmaptimer: not enough free space in 'small' for a 6 MiB file (5 MiB available): No space left on device"
		assert_dir_empty "$WORK/small"
	done
}

@test "a file larger than memory on ramfs (no free-space figures) is refused up front" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to mount a ramfs"
	mkdir -p ram
	mount -t ramfs ramfs ram 2>/dev/null || skip "cannot mount a ramfs here"
	MOUNTS+=("$WORK/ram")
	run --separate-stderr "$MMAPTIMER" --size 8T --chunks 1M --runs 1 --quiet --dir ram
	assert_status 1
	assert_no_stdout
	assert_stderr_contains "'ram' gives no free-space figures, so its files live in memory, and a 8 TiB file is more than the "
	assert_dir_empty "$WORK/ram"
	# A small file there is fine.
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 4K --runs 1 --quiet --dir ram --methods write
	assert_status 0
	assert_dir_empty "$WORK/ram"
}

@test "write and read instances at once in the same directory all succeed" {
	local pids=() p i=0 st
	for p in write write read read; do
		"$MMAPTIMER" "$p" --size 1M --chunks 4K,1M --runs 3 --format json --quiet \
			>"$p$i.json" 2>"$p$i.err" 3>&- &
		pids+=($!)
		i=$((i + 1))
	done
	BGPID="${pids[*]}"
	i=0
	for p in write write read read; do
		wait_bounded "${pids[$i]}" 120
		st=$WAIT_STATUS
		[ "$st" -eq 0 ] || fail "$p instance $i: status $st: $(cat "$p$i.err")"
		[ ! -s "$p$i.err" ] || fail "$p instance $i wrote to stderr: $(cat "$p$i.err")"
		[ "$(jq '[.results[] | select(.verified == true)] | length' "$p$i.json")" -eq 4 ] ||
			fail "$p instance $i: not 4 verified points"
		i=$((i + 1))
	done
	BGPID=
	assert_dir_empty "$WORK" write0.json write0.err write1.json write1.err read2.json read2.err read3.json read3.err
}
