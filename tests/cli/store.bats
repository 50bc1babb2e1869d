#!/usr/bin/env bats
# store.bats - keeping and comparing results: --save and --db, history,
# report in every format, compare of two "machines", import, and every bad
# file (damaged, foreign or newer database; JSON not ours or newer) refused
# with exit 1 and the database unchanged byte for byte.  No test looks at
# a timing value.

load common

SCHEMA=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)/doc/mmaptimer-1.schema.json

# A small real result as JSON in FILE (write, or the op given).
result() {
	"$MMAPTIMER" "${2:-write}" -s 64K -c 1K,4K,64K -r 2 -q -f json -o "$1"
}

# validate FILE: the document validates against the project's JSON schema.
validate() {
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || skip "Debian's python3-jsonschema is not installed"
	/usr/bin/python3 -m jsonschema -i "$1" "$SCHEMA" || fail "$1 does not validate against the schema"
}

# sql DB QUERY: one value from the database.
sql() {
	sqlite3 "$1" "$2"
}

# steady FILE: every point's min and max set to its median, so that which
# differences are "beyond the spread" does not depend on this machine.
steady() {
	jq '.results |= map(if .available then .min = .median | .max = .median else . end)' "$1" >"$1.tmp" &&
		mv "$1.tmp" "$1"
}

@test "--save keeps the run: versioned database, every point and run, the JSON document" {
	run --separate-stderr "$MMAPTIMER" write -s 64K -c 1K,4K,64K -r 2 -f json -o a.json --save --db r.db
	assert_status 0
	assert_one_stderr_line "mmaptimer: saved as result 1 in 'r.db'"
	[ "$(sql r.db 'PRAGMA application_id')" = $((0x4d4d5452)) ] || fail "application_id"
	[ "$(sql r.db 'PRAGMA user_version')" = 2 ] || fail "user_version"
	[ "$(sql r.db 'SELECT count(*) FROM point')" = 6 ] || fail "points"
	[ "$(sql r.db 'SELECT count(*) FROM run WHERE syscalls IS NOT NULL')" = 12 ] || fail "runs"
	# The document kept is the one printed.
	sql r.db 'SELECT json FROM result WHERE id = 1' >kept.json
	diff <(jq -S . a.json) <(jq -S . kept.json) || fail "kept document differs"
	[ "$(sql r.db 'SELECT host FROM result')" = "$(jq -r .env.hostname a.json)" ] || fail "host"
	[ "$(sql r.db 'SELECT date FROM result')" = "$(jq -r .env.date a.json)" ] || fail "date"
	validate a.json
}

@test "--save with --quiet says nothing; read results are kept too" {
	run --separate-stderr "$MMAPTIMER" read -s 64K -c 4K,64K -r 1 -q --save --db r.db
	assert_status 0
	[ -z "$stderr" ] || fail "stderr: $stderr"
	[ "$(sql r.db "SELECT op || ' ' || command FROM result")" = "read read" ] || fail "op"
}

@test "--save defaults to \$XDG_DATA_HOME, else ~/.local/share, creating the directories" {
	XDG_DATA_HOME=$WORK/xdg run --separate-stderr "$MMAPTIMER" write -s 64K -c 64K -r 1 --save
	assert_status 0
	assert_one_stderr_line "mmaptimer: saved as result 1 in '$WORK/xdg/mmaptimer/results.db'"
	[ -f "$WORK/xdg/mmaptimer/results.db" ] || fail "no database"
	# A relative XDG_DATA_HOME is ignored, as the XDG rules say.
	HOME=$WORK/home XDG_DATA_HOME=rel run --separate-stderr "$MMAPTIMER" write -s 64K -c 64K -r 1 -q --save
	assert_status 0
	[ -f "$WORK/home/.local/share/mmaptimer/results.db" ] || fail "no database under HOME"
	[ ! -e rel ] || fail "relative XDG_DATA_HOME used"
	HOME=$WORK/home run --separate-stderr env -u XDG_DATA_HOME "$MMAPTIMER" history
	assert_status 0
	[ "${#lines[@]}" -eq 2 ] || fail "history: $output"
}

@test "a failed run with --save leaves no database and no directory behind" {
	MMAPTIMER_TEST_CORRUPT=5 XDG_DATA_HOME=$WORK/xdg run --separate-stderr \
		"$MMAPTIMER" write -s 64K -c 4K -r 1 --save
	assert_status 1
	assert_stderr_contains "verification failed"
	assert_dir_empty "$WORK"
	MMAPTIMER_TEST_CORRUPT=5 run --separate-stderr "$MMAPTIMER" write -s 64K -c 4K -r 1 --save --db new/r.db
	assert_status 1
	assert_dir_empty "$WORK"
}

@test "--db without --save, and a database that cannot be created, are refused before the run" {
	run --separate-stderr "$MMAPTIMER" write -s 64K --db r.db
	assert_usage_error "mmaptimer: --db needs --save (to browse a database: 'mmaptimer history --db FILE')"
	touch file
	run --separate-stderr "$MMAPTIMER" write -s 64K -c 64K -r 1 --save --db file/r.db
	assert_status 1
	assert_one_stderr_line "mmaptimer: cannot use database 'file/r.db': Not a directory"
	assert_no_stdout
	assert_dir_empty "$WORK" file
}

@test "history lists id, run date, host, kernel, filesystem, command and verdict as table, csv, json" {
	result a.json
	"$MMAPTIMER" write -s 64K -c 1K,64K -r 1 -q --save --db r.db >/dev/null
	"$MMAPTIMER" import a.json --db r.db >/dev/null
	run --separate-stderr "$MMAPTIMER" history --db r.db
	assert_status 0
	[ "${#lines[@]}" -eq 3 ] || fail "expected a header and two rows: $output"
	[[ ${lines[0]} == *id*date*host*kernel*fs*command*verdict* ]] || fail "header: ${lines[0]}"
	[[ ${lines[2]} == "   2  "*" write   "*" (imported)" ]] || fail "row: ${lines[2]}"

	run --separate-stderr "$MMAPTIMER" history --db r.db --format csv
	assert_status 0
	[ "${lines[0]}" = "id,date,host,kernel,filesystem,command,origin,verdict" ] || fail "csv header"
	[ "${#lines[@]}" -eq 3 ] || fail "csv rows"

	run --separate-stderr "$MMAPTIMER" history --db r.db -f json
	assert_status 0
	jq -e --arg date "$(jq -r .env.date a.json)" --arg host "$(jq -r .env.hostname a.json)" '
		length == 2 and (map(.id) == [1, 2])
		and all(.[]; (keys == ["command", "date", "filesystem", "host", "id", "kernel", "origin", "verdict"])
			and (.verdict | length > 0) and .command == "write"
			and (.date | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")))
		and .[1].date == $date and .[1].host == $host and .[1].origin == "import"
		and .[0].origin == "run"' <<<"$output" >/dev/null || fail "history json: $output"

	run --separate-stderr "$MMAPTIMER" history --db r.db -f xml
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: unknown format 'xml' (expected table, csv or json)"
}

@test "history of an empty database says so; of a missing one fails and creates nothing" {
	result a.json
	"$MMAPTIMER" import a.json --db r.db >/dev/null
	sqlite3 r.db 'DELETE FROM result'
	run --separate-stderr "$MMAPTIMER" history --db r.db
	assert_status 0
	[ "$output" = "no saved results in 'r.db'" ] || fail "$output"
	run --separate-stderr "$MMAPTIMER" history --db nothere.db
	assert_status 1
	assert_one_stderr_line "mmaptimer: no database at 'nothere.db' (save a run with --save first)"
	[ ! -e nothere.db ] || fail "created a database"
}

@test "report renders a saved run and a JSON file in each format; JSON comes back as it was" {
	run --separate-stderr "$MMAPTIMER" write -s 64K -c 1K,4K,64K -r 2 -q -f json -o a.json --save --db r.db
	assert_status 0
	run --separate-stderr "$MMAPTIMER" report 1 --db r.db
	assert_status 0
	[[ ${lines[0]} == "mmaptimer "*": write a 64 KiB file, 3 chunk sizes, 2 runs per point, page cache only" ]] ||
		fail "table header: ${lines[0]}"
	[[ $output == *"verdict: "* ]] || fail "no verdict"
	run --separate-stderr "$MMAPTIMER" report a.json --format csv
	assert_status 0
	[[ ${lines[0]} == op,method,size,chunk,runs,median,* ]] || fail "csv header"
	[ "${#lines[@]}" -eq 7 ] || fail "csv rows"
	for src in 1 a.json; do
		run --separate-stderr "$MMAPTIMER" report "$src" --db r.db -f json -o "re-$src.json"
		assert_status 0
		jq -e '.schema == "mmaptimer/1" and (.results | length == 6)' "re-$src.json" >/dev/null || fail "json"
		# Every figure comes back as the run printed it; the derived
		# ratios are recomputed from the printed (15-digit) counters, so
		# may differ in the last digit.
		diff <(jq -S 'del(.results[].derived)' a.json) <(jq -S 'del(.results[].derived)' "re-$src.json") ||
			fail "report $src --format json differs from the run's own JSON"
		jq -e --slurpfile a a.json '[.results, $a[0].results] | transpose | all(.[];
			(.[0].derived // {}) as $x | (.[1].derived // {}) as $y
			| ($x | keys) == ($y | keys)
			and all($x | keys[]; . as $k | ($x[$k] == $y[$k]) or (($x[$k] - $y[$k]) | fabs) < 1e-12))' \
			"re-$src.json" >/dev/null || fail "derived figures differ"
		validate "re-$src.json"
	done
	run --separate-stderr "$MMAPTIMER" report 1 --db r.db -f json -o re-1.json
	assert_status 2
	assert_one_stderr_line "mmaptimer: will not overwrite 're-1.json': it already exists"
	run --separate-stderr "$MMAPTIMER" report 1 --db r.db -f pdf
	assert_status 2
	assert_stderr_contains "unknown format 'pdf' (expected table, csv"
	run --separate-stderr "$MMAPTIMER" report 7 --db r.db
	assert_status 1
	assert_one_stderr_line "mmaptimer: no saved result 7 in 'r.db'"
	run --separate-stderr "$MMAPTIMER" report
	assert_status 2
}

@test "compare of two machines: ratios, what is beyond the spread, and a verdict" {
	result a.json
	steady a.json
	# Machine B: another host, 4 times faster through mmap at 1 KiB.
	jq '.env.hostname = "machine-b" | .env.filesystem.type = "tmpfs"
	    | .results |= map(if .method == "mmap" and .chunk == 1024
	                      then .median /= 4 | .min /= 4 | .max /= 4 | .seconds |= map(. / 4) else . end)' \
		a.json >b.json
	run --separate-stderr "$MMAPTIMER" compare a.json b.json
	assert_status 0
	[[ ${lines[0]} == "A: 'a.json': write of a 64 KiB file, 2 runs per point" ]] || fail "A: ${lines[0]}"
	[[ ${lines[3]} == "   machine-b, tmpfs on "* ]] || fail "B: ${lines[3]}"
	[[ $output == *"     1 KiB  mmap  "*"  0.25x  yes, B faster"* ]] || fail "no 1 KiB mmap row"
	[ "$(grep -c '  1.00x  no$' <<<"$output")" -eq 5 ] || fail "the other points are not 1.00x, no"
	[ "${lines[-1]}" = "verdict: B is 4.00x faster for 1 KiB writes through mmap, no different above 1 KiB (1 of 6 points differ beyond the spread: B faster at 1, slower at 0)" ] ||
		fail "verdict: ${lines[-1]}"
	# The same from the database, by id, after importing both.
	"$MMAPTIMER" import a.json --db r.db >/dev/null
	"$MMAPTIMER" import b.json --db r.db >/dev/null
	run --separate-stderr "$MMAPTIMER" compare 1 2 --db r.db
	assert_status 0
	[[ ${lines[0]} == "A: result 1 in 'r.db': write"* ]] || fail "${lines[0]}"
	[[ ${lines[-1]} == "verdict: B is 4.00x faster for 1 KiB writes through mmap"* ]] || fail "${lines[-1]}"
}

@test "compare refuses a write against a read, and wants two results" {
	result w.json
	result r.json read
	run --separate-stderr "$MMAPTIMER" compare w.json r.json
	assert_status 1
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: cannot compare a 'write' result with a 'read' result: they measured different operations"
	run --separate-stderr "$MMAPTIMER" compare w.json
	assert_status 2
	assert_stderr_contains "compare needs two results"
}

@test "import keeps another machine's result as it is, in one transaction" {
	result a.json
	jq '.env.hostname = "far-away"' a.json >b.json
	run --separate-stderr "$MMAPTIMER" import b.json --db new/dir/r.db
	assert_status 0
	[ "$output" = "imported 'b.json' as result 1 in 'new/dir/r.db'" ] || fail "$output"
	[ "$(sql new/dir/r.db "SELECT host || ' ' || origin FROM result")" = "far-away import" ] || fail "row"
	cmp <(sql new/dir/r.db 'SELECT json FROM result') <(cat b.json; echo) || fail "document changed"
	run --separate-stderr "$MMAPTIMER" report 1 --db new/dir/r.db -f json
	assert_status 0
	diff <(jq -S 'del(.results[].derived)' <<<"$output") <(jq -S 'del(.results[].derived)' b.json) ||
		fail "report differs from the imported file"
}

@test "import whose confirmation cannot be written keeps nothing (full disk, gone reader), so a retry stores it once" {
	result a.json
	"$MMAPTIMER" import a.json --db r.db >/dev/null
	cp r.db before.db
	run --separate-stderr sh -c '"$0" import a.json --db r.db >/dev/full' "$MMAPTIMER"
	assert_status 1
	[[ $stderr == "mmaptimer: cannot write to standard output: No space left on device" ]] ||
		fail "stderr: $stderr"
	cmp -s r.db before.db || fail "the database changed"
	# Into a database of its own: nothing is left behind.
	run --separate-stderr sh -c '"$0" import a.json --db new.db >/dev/full' "$MMAPTIMER"
	assert_status 1
	[ ! -e new.db ] || fail "new.db left behind"
	# A reader that has gone: SIGPIPE ends it (141) only once the import is
	# rolled back, so no journal and no database of its own stay behind.
	run bash -c '{ sleep 0.1; exec "$0" import a.json --db new.db 2>/dev/null; } | true; echo "${PIPESTATUS[0]}"' "$MMAPTIMER"
	[ "$output" = 141 ] || fail "status $output"
	[ ! -e new.db ] && [ ! -e new.db-journal ] || fail "left behind: $(ls)"
	run bash -c '{ sleep 0.1; exec "$0" import a.json --db r.db 2>/dev/null; } | true; echo "${PIPESTATUS[0]}"' "$MMAPTIMER"
	[ "$output" = 141 ] || fail "status $output"
	[ ! -e r.db-journal ] || fail "a hot journal left behind"
	cmp -s r.db before.db || fail "the database changed"
	run --separate-stderr "$MMAPTIMER" import a.json --db r.db
	assert_status 0
	[ "$output" = "imported 'a.json' as result 2 in 'r.db'" ] || fail "$output"
}

# The four kinds of bad database, each in $WORK/bad.db.
bad_db() {
	case $1 in
	text) printf 'these bytes are not an SQLite database at all, not even close\n' >bad.db ;;
	foreign) sqlite3 bad.db 'PRAGMA application_id = 42; CREATE TABLE t (x); INSERT INTO t VALUES (1)' ;;
	newer)
		"$MMAPTIMER" import a.json --db bad.db >/dev/null
		sqlite3 bad.db 'PRAGMA user_version = 9'
		;;
	damaged)
		for _ in 1 2 3 4; do "$MMAPTIMER" import a.json --db bad.db >/dev/null; done
		[ "$(stat -c %s bad.db)" -gt 12288 ] || fail "database too small to damage"
		head -c 8192 /dev/zero | tr '\0' 'Z' | dd of=bad.db bs=4096 seek=1 conv=notrunc status=none
		;;
	esac
}

@test "a damaged, foreign or newer database: one line, exit 1, the file byte-identical" {
	result a.json
	for kind in text foreign newer damaged; do
		rm -f bad.db
		bad_db "$kind"
		cp bad.db before.db
		for cmd in "history --db bad.db" "report 1 --db bad.db" "compare 1 a.json --db bad.db" \
			"import a.json --db bad.db" "write -s 64K -c 64K -r 1 --save --db bad.db"; do
			# shellcheck disable=SC2086
			run --separate-stderr "$MMAPTIMER" $cmd
			[ "$status" -eq 1 ] || { show_run; fail "$kind: '$cmd' exited $status"; }
			assert_no_stdout
			assert_one_stderr_line
			case $kind in
			text) assert_stderr_contains "'bad.db' is not an mmaptimer database: not an SQLite file" ;;
			foreign) assert_stderr_contains "'bad.db' is not an mmaptimer database: an SQLite database of another program" ;;
			newer) assert_stderr_contains "'bad.db' is a database of a newer mmaptimer (version 9; this one knows up to 2)" ;;
			damaged) assert_stderr_contains "database 'bad.db' is damaged" ;;
			esac
			cmp bad.db before.db || fail "$kind: '$cmd' changed the database"
		done
	done
	assert_dir_empty "$WORK" a.json bad.db before.db
}

@test "JSON that is not ours, or of a newer schema: one line, exit 1, the database unchanged" {
	result a.json
	"$MMAPTIMER" import a.json --db r.db >/dev/null
	cp r.db before.db
	echo 'not json' >notjson.json
	echo '{"schema": "fio/3", "jobs": []}' >fio.json
	jq '.schema = "mmaptimer/2"' a.json >newer.json
	jq 'del(.results[0].median)' a.json >broken.json
	jq '.config.op = "ipc" | .config.command = "ipc"' a.json >ipc.json
	for f in notjson fio newer broken ipc; do
		case $f in
		notjson) want="mmaptimer: 'notjson.json' is not an mmaptimer result: not valid JSON" ;;
		fio) want="mmaptimer: 'fio.json' is not an mmaptimer result: its schema is 'fio/3', not 'mmaptimer/1'" ;;
		newer) want="mmaptimer: 'newer.json' is a result of schema 'mmaptimer/2', newer than this mmaptimer reads (mmaptimer/1)" ;;
		broken) want="mmaptimer: 'broken.json' is not an mmaptimer/1 result: 'results[0].median' is missing" ;;
		ipc) want="mmaptimer: 'ipc.json' is an 'ipc' result: only write and read results can be kept, re-rendered and compared" ;;
		esac
		for cmd in import report compare; do
			args=("$f.json")
			[ $cmd = compare ] && args=(a.json "$f.json")
			run --separate-stderr "$MMAPTIMER" $cmd "${args[@]}" --db r.db
			assert_status 1
			assert_no_stdout
			assert_one_stderr_line "$want"
			cmp r.db before.db || fail "$cmd $f changed the database"
		done
	done
	# Into a database that does not exist yet: none is created.
	run --separate-stderr "$MMAPTIMER" import fio.json --db new/r.db
	assert_status 1
	[ ! -e new ] || fail "import of a bad file created something"
}

@test "the new commands have --help and reject unknown options" {
	for cmd in history report compare import; do
		run --separate-stderr "$MMAPTIMER" $cmd --help
		assert_status 0
		[[ $output == "usage: mmaptimer $cmd"* ]] || fail "$cmd --help: ${lines[0]}"
		[[ $output == *"--db FILE"* ]] || fail "$cmd --help does not mention --db"
		[[ $output == *"Exit status: 0 success"* ]] || fail "$cmd --help: no exit codes"
		run --separate-stderr "$MMAPTIMER" $cmd --bogus
		assert_usage_error "mmaptimer: unknown option '--bogus' (see 'mmaptimer $cmd --help')"
	done
	for cmd in write read; do
		run --separate-stderr "$MMAPTIMER" $cmd --help
		[[ $output == *"--save "* && $output == *"--db FILE"* ]] || fail "$cmd --help lacks --save/--db"
	done
}

@test "report renders a saved run through every reporter of the table, svg and html too" {
	command -v xmllint >/dev/null || skip "xmllint is not installed (Debian's libxml2-utils)"
	result a.json
	"$MMAPTIMER" import a.json --db r.db >/dev/null
	run --separate-stderr "$MMAPTIMER" report --help
	formats=$(sed -n 's/^  -f, --format FMT      \(.*\) (default table)$/\1/p' <<<"$output" | tr -d ',' | sed 's/ or / /')
	[ -n "$formats" ] || fail "no format list in report --help"
	for f in $formats; do
		run --separate-stderr "$MMAPTIMER" report 1 --db r.db --format "$f" --output "out.$f"
		assert_status 0
		[ -s "out.$f" ] || fail "report --format $f wrote nothing"
		! grep -qiwE 'nan|-nan|inf' "out.$f" || fail "report --format $f printed NaN or inf"
		case $f in
		svg) xmllint --noout "out.$f" || fail "report --format svg is not well-formed XML" ;;
		html) grep -q '<html' "out.$f" || fail "report --format html is not HTML" ;;
		json) cmp <(jq -S 'del(.results[].derived)' a.json) <(jq -S 'del(.results[].derived)' "out.$f") ;;
		esac
	done
}
