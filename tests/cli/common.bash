# common.bash - what every end-to-end test file shares: the binary under
# test, a fresh working directory per test, and assertions on exit codes,
# stderr lines and leftover files.  Loaded with `load common` at the top of
# each .bats file.

bats_require_minimum_version 1.5.0

# The binary under test: $MMAPTIMER (tests/run-tap.sh sets it to the plain
# or the sanitizer build), else the repository's ./mmaptimer.
if [ -z "${MMAPTIMER:-}" ]; then
	MMAPTIMER=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)/mmaptimer
fi
case $MMAPTIMER in
/*) ;;
*) MMAPTIMER=$(cd "$(dirname "$MMAPTIMER")" && pwd)/$(basename "$MMAPTIMER") ;;
esac
export MMAPTIMER

# The test hooks must never leak into a test that does not ask for them.
unset MMAPTIMER_TEST_CORRUPT MMAPTIMER_TEST_NO_SPACE_CHECK MMAPTIMER_TEST_SHRINK
unset MMAPTIMER_TEST_IPC_DIE_AFTER MMAPTIMER_TEST_IPC_DUPLICATE

# Every test runs in its own empty directory, $WORK, which is also the
# current directory.  It is a subdirectory of BATS_TEST_TMPDIR because bats
# keeps its own files (run --separate-stderr) in BATS_TEST_TMPDIR itself.
# Tests that mount something record the mount point in MOUNTS so that
# teardown unmounts it even when the test fails.
setup() {
	[ -x "$MMAPTIMER" ] || {
		echo "no executable binary at MMAPTIMER='$MMAPTIMER' (run make first)" >&2
		return 1
	}
	WORK=$(mktemp -d "${BATS_TEST_TMPDIR:-${TMPDIR:-/tmp}}/work.XXXXXX")
	MOUNTS=()
	EXTRA_DIRS=()
	BGPID=
	cd "$WORK" || return 1
}

teardown() {
	cd / || true
	# Background runs a failed test left behind ($BGPID, space-separated
	# pids): stop them, by their pids.
	local pid m
	for pid in ${BGPID:-}; do
		if kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	for m in "${MOUNTS[@]}"; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
	for m in "${EXTRA_DIRS[@]}"; do
		rm -rf "$m"
	done
	if [ -n "${WORK:-}" ] && [ -d "$WORK" ]; then
		chmod -R u+rwx "$WORK" 2>/dev/null || true
		rm -rf "$WORK"
	fi
}

# fail MESSAGE...: end the test with a message on the TAP diagnostics.
fail() {
	printf '%s\n' "$@" >&2
	return 1
}

# show_run: what the last `run` saw, for a failure message.
show_run() {
	printf 'status: %s\n' "$status" >&2
	printf 'stdout: %s\n' "${output-}" >&2
	printf 'stderr: %s\n' "${stderr-}" >&2
}

# assert_status N: the last `run` exited with status N.
assert_status() {
	if [ "$status" -ne "$1" ]; then
		show_run
		fail "expected exit status $1, got $status"
	fi
}

# assert_dir_empty DIR [NAME...]: DIR holds nothing but the NAMEs given
# (the files the test itself created), hidden files included.
assert_dir_empty() {
	local dir=$1 f n ok extra=()
	shift
	while IFS= read -r f; do
		[ -n "$f" ] || continue
		ok=
		for n in "$@"; do
			[ "$f" = "$n" ] && ok=1
		done
		[ -n "$ok" ] || extra+=("$f")
	done < <(ls -A "$dir")
	if [ ${#extra[@]} -ne 0 ]; then
		ls -lA "$dir" >&2
		fail "unexpected files left in '$dir': ${extra[*]}"
	fi
}

# assert_no_stdout: the last `run --separate-stderr` printed nothing on stdout.
assert_no_stdout() {
	if [ -n "$output" ]; then
		show_run
		fail "expected nothing on stdout"
	fi
}

# assert_one_stderr_line [LINE]: the last `run --separate-stderr` printed
# exactly one line on stderr, starting "mmaptimer: "; with LINE, exactly
# that line.
assert_one_stderr_line() {
	if [ "${#stderr_lines[@]}" -ne 1 ]; then
		show_run
		fail "expected exactly one line on stderr, got ${#stderr_lines[@]}"
	fi
	case ${stderr_lines[0]} in
	"mmaptimer: "?*) ;;
	*) show_run; fail "stderr line does not start with 'mmaptimer: '" ;;
	esac
	if [ $# -gt 0 ] && [ "${stderr_lines[0]}" != "$1" ]; then
		show_run
		fail "expected stderr: $1" "     got stderr: ${stderr_lines[0]}"
	fi
}

# assert_stderr_contains TEXT: the single stderr line contains TEXT.
assert_stderr_contains() {
	assert_one_stderr_line
	case ${stderr_lines[0]} in
	*"$1"*) ;;
	*) show_run; fail "stderr does not mention '$1'" ;;
	esac
}

# assert_usage_error [LINE]: the last run was a usage error: exit 2, one
# "mmaptimer: " line on stderr (exactly LINE when given), nothing on
# stdout, and nothing created in $WORK.
assert_usage_error() {
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "$@"
	assert_dir_empty "$WORK"
}

# wait_for_file DIR GLOB SECONDS: poll until a file matching GLOB appears
# in DIR; fails after SECONDS.
wait_for_file() {
	local dir=$1 glob=$2 tries=$(($3 * 20)) f
	while [ "$tries" -gt 0 ]; do
		for f in "$dir"/$glob; do
			[ -e "$f" ] && return 0
		done
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# wait_bounded PID SECONDS: wait for background PID to exit, at most
# SECONDS; sets WAIT_STATUS to its exit status.  Kills it and fails when it
# does not end in time, so a broken tool fails the test instead of hanging.
wait_bounded() {
	local pid=$1 tries=$(($2 * 20))
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$tries" -le 0 ]; then
			kill -KILL "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
			fail "process $pid did not exit within $2 s"
			return 1
		fi
		sleep 0.05
		tries=$((tries - 1))
	done
	WAIT_STATUS=0
	wait "$pid" || WAIT_STATUS=$?
}

# mount_tmpfs DIR OPTIONS: mount a tmpfs on DIR (recorded for teardown),
# or skip the test with a reason when not root or mounting fails.
mount_tmpfs() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to mount a tmpfs"
	command -v mount >/dev/null || skip "no mount command"
	mkdir -p "$1"
	mount -t tmpfs -o "$2" tmpfs "$1" 2>/dev/null || skip "cannot mount a tmpfs here (mount -t tmpfs -o $2 failed)"
	MOUNTS+=("$1")
}

# disk_dir: set DISK to an empty directory on a filesystem backed by a
# block device (so that data synced there really goes to storage): $WORK,
# unless that is a RAM filesystem, else one under the repository's build/
# directory (removed in teardown).  Skips when there is none.
disk_dir() {
	local t
	t=$(stat -f -c %T "$WORK")
	case $t in
	tmpfs | ramfs) ;;
	*) DISK=$WORK; return 0 ;;
	esac
	local base
	base=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)/build
	mkdir -p "$base" 2>/dev/null || skip "$WORK is on $t and '$base' cannot be created"
	case $(stat -f -c %T "$base") in
	tmpfs | ramfs) skip "no directory on a disk-backed filesystem ($WORK and $base are on RAM filesystems)" ;;
	esac
	DISK=$(mktemp -d "$base/disk-test.XXXXXX") || skip "cannot create a directory in '$base'"
	EXTRA_DIRS+=("$DISK")
}

# uring_built: whether the binary under test was built with liburing
# (and so can run the uring method, unless the kernel refuses io_uring).
uring_built() {
	ldd "${MMAPTIMER_BIN:-$MMAPTIMER}" 2>/dev/null | grep -q 'liburing'
}

# uring_works: built with liburing and the kernel lets this process use
# io_uring (kernel.io_uring_disabled is 0 or absent).
uring_works() {
	uring_built || return 1
	[ ! -r /proc/sys/kernel/io_uring_disabled ] || [ "$(cat /proc/sys/kernel/io_uring_disabled)" = 0 ]
}

# skip_under_valgrind WHY: for a test whose subject valgrind itself changes
# (the system calls the process makes, how fast it reacts); run by
# tests/valgrind-e2e.sh, which sets MMT_UNDER_VALGRIND.
skip_under_valgrind() {
	[ -z "${MMT_UNDER_VALGRIND:-}" ] || skip "under valgrind: $1"
}
