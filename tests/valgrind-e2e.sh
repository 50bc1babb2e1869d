#!/bin/bash
# valgrind-e2e.sh - every end-to-end test (tests/cli/*.bats) with the tool
# run under valgrind: each test must pass as it does without valgrind, and
# no run of the tool may show an invalid access, a definite leak or a
# descriptor it opened left open at exit.  Slow (about twenty times the
# plain suite), so not part of make check: `make check-valgrind-e2e`.
# TAP on stdout: bats's lines, then one line for the logs, which stay in
# $OUT (build/valgrind-e2e).
#
#   tests/valgrind-e2e.sh MMAPTIMER [BATS-FILE...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/valgrind-lib.sh"
bin=$(realpath "$1")
shift
OUT=$(realpath -m "${OUT:-build/valgrind-e2e}")
rm -rf "$OUT"
mkdir -p "$OUT/logs"

# The tool as the tests call it: under valgrind, one log per process.  Not
# -q: the log must say when a signal ended the process (see log_problems).
cat >"$OUT/mmaptimer" <<WRAP
#!/bin/sh
exec valgrind --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \\
	--track-fds=yes --error-exitcode=99 --log-file="$OUT/logs/%p.log" "$bin" "\$@"
WRAP
chmod +x "$OUT/mmaptimer"

[ $# -gt 0 ] || set -- "$here"/cli/*.bats
# Tests that time the tool itself (a dead consumer noticed within 2 s)
# know they run under valgrind and say so when they skip.
# MMAPTIMER_BIN: the binary itself, for tests that look at how it was
# linked.
MMAPTIMER=$OUT/mmaptimer MMAPTIMER_BIN=$bin MMT_UNDER_VALGRIND=1 \
	BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-1200} bats --tap "$@"
st=$?

bad=0
runs=0
for f in "$OUT"/logs/*.log; do
	[ -f "$f" ] || continue
	runs=$((runs + 1))
	p=$(log_problems "$f")
	if [ -n "$p" ]; then
		bad=$((bad + 1))
		echo "$p"
	fi
done
if [ $bad -eq 0 ]; then
	echo "ok - valgrind: $runs processes of the tool, no error, no definite leak, no descriptor left open"
else
	echo "not ok - valgrind: $bad of $runs processes of the tool showed a problem (logs in $OUT/logs)"
	st=1
fi
exit $st
