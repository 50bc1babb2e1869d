#!/bin/sh
# run-tap.sh - run one build's tests: the C unit tests ($UNIT), the
# end-to-end bats tests of the binary ($MMAPTIMER) and, when $REPLAY is
# set, the fuzz targets on their corpus and regressions; all speak TAP.
# Output goes to the terminal and is appended to $TAPLOG for summary.sh.
# A test program that dies without reporting (a crash, a sanitizer abort
# outside any test) is recorded as a failure, never lost.
set -u
here=$(cd "$(dirname "$0")" && pwd)
log=${TAPLOG:-/dev/null}
label=${LABEL:-plain}

run() {
	name=$1; shift
	echo "# $name ($label build)"
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	cat "$out" >>"$log"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out"; then
		echo "not ok - $name exited with status $rc" | tee -a "$log"
	fi
	if ! grep -qE '^(not )?ok' "$out"; then
		echo "not ok - $name ran no test" | tee -a "$log"
	fi
	rm -f "$out"
}

export MMAPTIMER
# A test that hangs fails after this many seconds instead of stopping the
# suite (the unit tests have a limit of their own, MMT_TEST_TIMEOUT).
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-300}
run "unit tests" "$UNIT"
run "end-to-end tests" bats --tap "$here/cli"
if [ -n "${REPLAY:-}" ]; then
	run "fuzz corpus and regressions" "$REPLAY" "$here/../fuzz"
fi
