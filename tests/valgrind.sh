#!/bin/bash
# valgrind.sh - the unit tests and a selection of command lines under
# valgrind: no invalid access, no definite leak, and no file descriptor
# left open at exit (valgrind 3.19 only lists those, so this script reads
# the list: any descriptor the program opened itself fails the case).  TAP on stdout; the logs
# stay in $OUT (build/valgrind).  Run by `make check-valgrind`.
#
#   tests/valgrind.sh MMAPTIMER UNIT-TESTS
# To cover a new command, add a line to CASES.
set -u
. "$(dirname "$0")/valgrind-lib.sh"
bin=$(realpath "$1")
unit=$(realpath "$2")
OUT=$(realpath -m "${OUT:-build/valgrind}")
rm -rf "$OUT"
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The saved-result commands' fixture, made without valgrind: a database
# (1 a write, 2 a read) and JSON results of write, read and ipc.
fix=$work/fixture
mkdir -p "$fix/d"
"$bin" write --size 64K --chunks 4K,16K --runs 1 --quiet --dir "$fix/d" --save --db "$fix/db" \
	--format json >"$fix/w.json" &&
	"$bin" read --size 64K --chunks 4K,16K --runs 1 --quiet --dir "$fix/d" --save --db "$fix/db" \
		--format json >"$fix/r.json" &&
	"$bin" ipc -n 100 --runs 1 --transports pipe --quiet --format json >"$fix/i.json" ||
	{ echo "Bail out! cannot make the fixture"; exit 1; }

# name|expected status|arguments ({D} is an empty directory of the case's,
# {F} the fixture)
CASES=(
	"classic|0|--size 256K --runs 1 --quiet --dir {D}"
	"write-all|0|write --size 64K --chunks 1K,64K --methods all --runs 1 --warmup 1 --quiet --dir {D} --format json"
	"write-sync|0|write --size 64K --chunks 4K --methods all --runs 1 --sync end --quiet --dir {D} --format csv"
	"read-all|0|read --size 64K --chunks 1K,64K --methods all --runs 1 --quiet --dir {D} --format json"
	"read-cold-random|0|read --size 256K --chunks 4K --methods all --runs 1 --cache cold --pattern random --quiet --dir {D}"
	"output-file|0|--size 64K --chunks 4K --runs 1 --quiet --dir {D} --format json --output {D}/../out.json"
	"methods|0|methods --dir {D}"
	"env|0|env --dir {D}"
	"help|0|--help"
	"usage-error|2|--size 10X"
	"chunks-error|2|--chunks 1:2:x1,5"
	"missing-dir|2|--dir {D}/nonexistent"
	"too-many-runs|2|--chunks 1:1M --size 1M --runs 100000"
	"verify-fails|1|--size 64K --chunks 4K --runs 1 --quiet --dir {D} @CORRUPT"
	"read-verify-fails|1|read --size 64K --chunks 4K --runs 1 --quiet --dir {D} @CORRUPT"
	"save|0|write --size 64K --chunks 4K,16K --runs 1 --quiet --dir {D} --save --db {D}/../saved.db"
	"pictures|0|read --size 64K --chunks 4K --runs 1 --quiet --dir {D} --plot {D}/../p.svg --html {D}/../p.html"
	"history|0|history --db {F}/db --format json"
	"report-db-html|0|report 1 --db {F}/db --format html"
	"report-json-svg|0|report {F}/r.json --format svg --phases"
	"compare|0|compare 1 {F}/w.json --db {F}/db"
	"import|0|import {F}/r.json --db {D}/../imported.db"
	"import-ipc-refused|1|import {F}/i.json --db {D}/../imported.db"
	"ipc|0|ipc -n 100 --runs 1 --consumers 2 --dir {D} --quiet --format json"
)

vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite
	--track-fds=yes --error-exitcode=99)

n=0
failed=0
echo "1..$((${#CASES[@]} + 1))"

# check_logs NAME: the logs of case NAME show no error and no descriptor
# beyond the standard three open at exit; prints why not.
check_logs() {
	local bad=0 f
	for f in "$OUT/$1".*.log; do
		[ -f "$f" ] || continue
		if grep -qE '^==[0-9]+== (Invalid|Conditional|Syscall param|Mismatched|Source and destination)|definitely lost: [1-9]' "$f"; then
			bad=1
			sed 's/^/#   /' "$f" | head -30
		fi
		# ipc's peers are forked: they hold the descriptors their parent
		# opened for them until they _exit (valgrind calls them opened,
		# not inherited), so only ipc's own process is checked for them.
		case $1 in ipc*) grep -q "== Open file descriptor [0-9]*: $f\$" "$f" || continue ;; esac
		if opened_fds "$f" | grep -q .; then
			bad=1
			echo "# $f: descriptors the program opened and left open at exit:"
			opened_fds "$f" | sed 's/^/#   /' | head -20
		fi
	done
	return $bad
}

for c in "${CASES[@]}"; do
	name=${c%%|*}
	rest=${c#*|}
	want=${rest%%|*}
	args=${rest#*|}
	n=$((n + 1))
	d=$work/$name/d
	mkdir -p "$d"
	args=${args//\{D\}/$d}
	args=${args//\{F\}/$fix}
	env=()
	case $args in
	*@CORRUPT*) args=${args//@CORRUPT/}; env=(MMAPTIMER_TEST_CORRUPT=7) ;;
	esac
	# shellcheck disable=SC2086 # the arguments are words
	(cd "$work/$name" && exec 3>&- 4>&- 5>&- && env "${env[@]}" "${vg[@]}" --log-file="$OUT/$name.%p.log" \
		"$bin" $args >"$OUT/$name.stdout" 2>"$OUT/$name.stderr")
	st=$?
	if [ "$st" -ne "$want" ]; then
		echo "not ok $n - $name: status $st, expected $want (99: valgrind found errors)"
		sed 's/^/#   /' "$OUT/$name.stderr" | head -5
		check_logs "$name" >/dev/null
		check_logs "$name"
		failed=$((failed + 1))
	elif ! check_logs "$name"; then
		echo "not ok $n - $name: valgrind found a problem (logs in $OUT)"
		failed=$((failed + 1))
	elif [ -n "$(ls -A "$d")" ]; then
		echo "not ok $n - $name: files left in the run directory: $(ls -A "$d")"
		failed=$((failed + 1))
	else
		echo "ok $n - $name under valgrind: status $st, no error, no leak, no descriptor left open"
	fi
done

# The unit tests: the runner forks one process per test; valgrind follows
# forks, so each test's process is checked (and gets a longer time limit).
n=$((n + 1))
(cd "$work" && exec 3>&- 4>&- 5>&- && MMT_TEST_TIMEOUT=300 "${vg[@]}" --log-file="$OUT/unit.%p.log" \
	"$unit" >"$OUT/unit.stdout" 2>"$OUT/unit.stderr")
st=$?
if [ "$st" -ne 0 ] || ! check_logs unit >"$OUT/unit.why"; then
	echo "not ok $n - unit tests under valgrind: status $st"
	grep '^not ok' "$OUT/unit.stdout" | sed 's/^/#   /'
	sed 's/^/#/' "$OUT/unit.why" | head -40
	failed=$((failed + 1))
else
	echo "ok $n - unit tests under valgrind: $(grep -c '^ok' "$OUT/unit.stdout") passed, no error, no leak, no descriptor left open"
fi
[ "$failed" -eq 0 ]
