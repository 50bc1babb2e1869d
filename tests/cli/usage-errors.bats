#!/usr/bin/env bats
# usage-errors.bats - every bad command line: exit 2, exactly one line on
# stderr starting "mmaptimer: " that names the problem, nothing on stdout,
# and nothing created in the directory the run would have used.

load common

SIZE_HINT="expected a positive whole number of bytes with an optional K, M, G, T (or KiB, MiB, GiB, TiB) suffix"
CHUNK_HINT="expected sizes and ranges A:B or A:B:xF, separated by commas"

# bad ARGS... : run a write with otherwise valid tiny settings in $WORK.
# The bad arguments come last so that they win over the defaults given.
bad() {
	run --separate-stderr "$MMAPTIMER" write --dir "$WORK" --quiet "$@"
}

@test "--size 10X: unknown suffix" {
	bad --size 10X
	assert_usage_error "mmaptimer: invalid --size '10X': $SIZE_HINT"
}

@test "--size -1: negative" {
	bad --size -1
	assert_usage_error "mmaptimer: invalid --size '-1': $SIZE_HINT"
}

@test "--size 0: zero" {
	bad --size 0
	assert_usage_error "mmaptimer: invalid --size '0': $SIZE_HINT"
}

@test "--size 0K: zero with a suffix" {
	bad --size 0K
	assert_usage_error "mmaptimer: invalid --size '0K': $SIZE_HINT"
}

@test "--size 1.5M: a fraction" {
	bad --size 1.5M
	assert_usage_error "mmaptimer: invalid --size '1.5M': $SIZE_HINT"
}

@test "--size '': empty" {
	bad --size ''
	assert_usage_error "mmaptimer: invalid --size '': $SIZE_HINT"
}

@test "--size 99999999999999999999: overflows 64 bits" {
	bad --size 99999999999999999999
	assert_usage_error "mmaptimer: invalid --size '99999999999999999999': too large"
}

@test "--size 9000000000G: overflows after the suffix" {
	bad --size 9000000000G
	assert_usage_error "mmaptimer: invalid --size '9000000000G': too large"
}

@test "--size 9223372036854775808: one past the 63-bit limit" {
	bad --size 9223372036854775808
	assert_usage_error "mmaptimer: invalid --size '9223372036854775808': too large"
}

@test "--size 8388608T: exactly 2^63 through the suffix" {
	bad --size 8388608T
	assert_usage_error "mmaptimer: invalid --size '8388608T': too large"
}

@test "--chunks 0: a zero chunk" {
	bad --size 64K --runs 1 --chunks 0
	assert_usage_error "mmaptimer: invalid --chunks '0': $CHUNK_HINT"
}

@test "--chunks larger than --size" {
	bad --size 64K --runs 1 --chunks 4K,128K
	assert_usage_error "mmaptimer: chunk size '128 KiB' is larger than the file size '64 KiB'"
}

@test "--chunks in a range reaching past --size" {
	bad --size 64K --runs 1 --chunks 1K:1M
	assert_usage_error "mmaptimer: chunk size '128 KiB' is larger than the file size '64 KiB'"
}

@test "--size smaller than the default (classic) chunks given explicitly" {
	# --chunks given, so no trimming to the size: 10M does not fit in 1M.
	bad --size 1M --runs 1 --chunks 1,10M
	assert_usage_error "mmaptimer: chunk size '10 MiB' is larger than the file size '1 MiB'"
}

@test "--chunks malformed lists and ranges" {
	local c
	for c in '1,,2' '8:1' '1:8:x1' ',1' '1,' '' '1::8' '1:8:' '1:8:x' '1:8:2' '1:8:x2:3' \
		'1:8:x-2' 'x' '1K:' ':8' '4k,abc' '1.5K'; do
		bad --size 64K --runs 1 --chunks "$c"
		assert_usage_error "mmaptimer: invalid --chunks '$c': $CHUNK_HINT"
	done
}

@test "--chunks with a size or a factor that is too large" {
	bad --size 64K --runs 1 --chunks 99999999999999999999
	assert_usage_error "mmaptimer: invalid --chunks '99999999999999999999': a size is too large or the list is longer than 4096 sizes"
	bad --size 64K --runs 1 --chunks 1:8:x1000000000
	assert_usage_error "mmaptimer: invalid --chunks '1:8:x1000000000': a size is too large or the list is longer than 4096 sizes"
}

@test "--chunks with more than 4096 sizes" {
	local list
	list=$(seq -s, 1 4097)
	bad --size 64K --runs 1 --chunks "$list"
	assert_usage_error "mmaptimer: invalid --chunks '$list': a size is too large or the list is longer than 4096 sizes"
}

@test "--runs 0" {
	bad --size 64K --runs 0
	assert_usage_error "mmaptimer: invalid --runs '0': expected a whole number from 1 to 100000"
}

@test "--runs abc" {
	bad --size 64K --runs abc
	assert_usage_error "mmaptimer: invalid --runs 'abc': expected a whole number from 1 to 100000"
}

@test "--runs out of range, signed, spaced and overflowing" {
	local r
	for r in 100001 -1 +1 ' 1' '1 ' '' 4294967297 99999999999999999999999; do
		bad --size 64K --runs "$r"
		assert_usage_error "mmaptimer: invalid --runs '$r': expected a whole number from 1 to 100000"
	done
}

@test "--warmup -1" {
	bad --size 64K --runs 1 --warmup -1
	assert_usage_error "mmaptimer: invalid --warmup '-1': expected a whole number from 0 to 100000"
}

@test "--methods with an unknown method" {
	bad --size 64K --runs 1 --methods mmap,nosuch
	assert_usage_error "mmaptimer: unknown method 'nosuch' (see 'mmaptimer methods')"
}

@test "--methods naming no method" {
	bad --size 64K --runs 1 --methods ,
	assert_usage_error "mmaptimer: invalid --methods ',': no method named"
	bad --size 64K --runs 1 --methods ''
	assert_usage_error "mmaptimer: invalid --methods ''"
}

@test "--format with an unknown format" {
	bad --size 64K --runs 1 --format xml
	assert_usage_error "mmaptimer: unknown format 'xml' (expected table, csv, json, svg or html)"
}

@test "an unknown long option" {
	bad --size 64K --runs 1 --bogus
	assert_usage_error "mmaptimer: unknown option '--bogus' (see 'mmaptimer --help')"
}

@test "an unknown short option, alone and in a group" {
	bad --size 64K --runs 1 -x
	assert_usage_error "mmaptimer: unknown option '-x' (see 'mmaptimer --help')"
	bad --size 64K --runs 1 -qx
	assert_usage_error "mmaptimer: unknown option '-x' (see 'mmaptimer --help')"
}

@test "an unknown option to the classic experiment (no command)" {
	run --separate-stderr "$MMAPTIMER" --bogus
	assert_usage_error "mmaptimer: unknown option '--bogus' (see 'mmaptimer --help')"
}

@test "an option missing its value" {
	local o
	for o in --size --chunks --methods --runs --warmup --dir --format --output -s -r; do
		bad --size 64K --runs 1 "$o"
		assert_usage_error "mmaptimer: option '$o' needs a value"
	done
}

@test "an unexpected positional argument" {
	bad --size 64K --runs 1 extra
	assert_usage_error "mmaptimer: unexpected argument 'extra' (see 'mmaptimer --help')"
	# The classic experiment takes none either: a word first is a command.
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 extra
	assert_usage_error "mmaptimer: unexpected argument 'extra' (see 'mmaptimer --help')"
}

@test "a missing --dir" {
	bad --size 64K --runs 1 --dir "$WORK/missing"
	assert_usage_error "mmaptimer: cannot use directory '$WORK/missing': No such file or directory"
}

@test "a --dir that is a file" {
	printf 'keep\n' >afile
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --quiet --dir afile
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: cannot use directory 'afile': Not a directory"
	assert_dir_empty "$WORK" afile
	[ "$(cat afile)" = keep ]
}

@test "an unwritable --dir" {
	mkdir ro
	if [ "$(id -u)" -eq 0 ]; then
		# Permissions do not stop root: a read-only filesystem does.
		mount_tmpfs "$WORK/ro" ro,size=1m
		run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --quiet --dir ro
		assert_status 2
		assert_no_stdout
		assert_one_stderr_line "mmaptimer: cannot write in directory 'ro': Read-only file system"
	else
		chmod 555 ro
		run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --quiet --dir ro
		assert_status 2
		assert_no_stdout
		assert_one_stderr_line "mmaptimer: cannot write in directory 'ro': Permission denied"
	fi
	assert_dir_empty "$WORK/ro"
	assert_dir_empty "$WORK" ro
}

@test "--output to an existing file is refused and the file left unchanged" {
	printf 'precious\n' >existing
	local before
	before=$(stat -c '%s %Y %i' existing)
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --quiet --format json --output existing
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: will not overwrite 'existing': it already exists"
	[ "$(cat existing)" = precious ] || fail "existing file changed"
	[ "$(stat -c '%s %Y %i' existing)" = "$before" ] || fail "existing file touched"
	assert_dir_empty "$WORK" existing
}

@test "--output to an existing symlink (even dangling) is refused" {
	ln -s "$WORK/nowhere" link
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --quiet --output link
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: will not overwrite 'link': it already exists"
	[ ! -e "$WORK/nowhere" ] || fail "the symlink was followed"
	assert_dir_empty "$WORK" link
}

@test "--output into a missing directory, and an empty --output" {
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --quiet --output "$WORK/no/out.json"
	assert_usage_error "mmaptimer: cannot write '$WORK/no/out.json': No such file or directory"
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --quiet --output ''
	assert_usage_error "mmaptimer: empty file name for --output"
}

@test "a usage error creates nothing even with a valid --output" {
	bad --size 64K --runs 0 --output out.json
	assert_usage_error "mmaptimer: invalid --runs '0': expected a whole number from 1 to 100000"
	bad --size 64K --chunks 1M --output out.json
	assert_usage_error "mmaptimer: chunk size '1 MiB' is larger than the file size '64 KiB'"
}

@test "an option that takes no value, given one, is named in the message" {
	bad --size 64K --runs 1 --quiet=1
	assert_status 2
	assert_no_stdout
	assert_dir_empty "$WORK"
	# getopt_long reports it with optopt = 'q', so the message must not
	# be built from optopt alone.
	assert_stderr_contains "'--quiet"
}

@test "--output with a file name too long is a usage error found before measuring" {
	local name
	name=$(printf 'a%.0s' $(seq 300))
	bad --size 64K --chunks 64K --runs 1 --output "$name"
	assert_usage_error
	assert_stderr_contains "File name too long"
}

@test "--output ending in a slash is a usage error found before measuring" {
	bad --size 64K --chunks 64K --runs 1 --output newname/
	assert_usage_error
	[ ! -e newname ]
}

@test "--output below a regular file names the real problem" {
	: >afile
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 64K --runs 1 --quiet --output afile/out.json
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: cannot write 'afile/out.json': Not a directory"
	assert_dir_empty "$WORK" afile
}

@test "a JSON document stays valid with a --dir name holding quotes, controls and bad UTF-8" {
	local d
	d=$(printf 'we"ird\\d\tir\n\377\303x')
	mkdir "$d"
	run --separate-stderr "$MMAPTIMER" --size 4K --chunks 4K --runs 1 --quiet --format json --dir "$d"
	assert_status 0
	jq -e '.schema == "mmaptimer/1" and (.config.dir | test("^we\"ird\\\\d\tir\n")) and (.env.dir | endswith("x"))' <<<"$output" >/dev/null ||
		fail "invalid JSON or wrong dir: $output"
	assert_dir_empty "$WORK/$d"
}

# The method options: a bad value is a usage error, found before anything
# is created, with the range or the words that are accepted.
@test "--sync bogus: not a sync mode" {
	bad --sync bogus
	assert_usage_error "mmaptimer: invalid --sync 'bogus': expected none, end or each"
}

@test "--batch 0 and --batch 1025: out of 1 .. 1024" {
	bad --batch 0
	assert_usage_error "mmaptimer: invalid --batch '0': expected a whole number from 1 to 1024"
	bad --batch 1025
	assert_usage_error "mmaptimer: invalid --batch '1025': expected a whole number from 1 to 1024"
}

@test "--queue-depth 0 and --queue-depth 5000: out of 1 .. 4096" {
	bad --queue-depth 0
	assert_usage_error "mmaptimer: invalid --queue-depth '0': expected a whole number from 1 to 4096"
	bad --queue-depth 5000
	assert_usage_error "mmaptimer: invalid --queue-depth '5000': expected a whole number from 1 to 4096"
}

@test "--madvise bogus: not an advice" {
	bad --madvise bogus
	assert_usage_error "mmaptimer: invalid --madvise 'bogus': expected normal, sequential, random, willneed, dontneed or hugepage"
	bad --madvise ''
	assert_usage_error "mmaptimer: invalid --madvise '': expected normal, sequential, random, willneed, dontneed or hugepage"
}

@test "--stdio-buffer 0 and --stdio-buffer 2G: not a size, or over 1 GiB" {
	bad --stdio-buffer 0
	assert_usage_error "mmaptimer: invalid --stdio-buffer '0': $SIZE_HINT"
	bad --stdio-buffer 2G
	assert_usage_error "mmaptimer: invalid --stdio-buffer '2G': at most 1 GiB"
}

@test "bad method options win over a valid run, in --dir too" {
	mkdir d
	local opt
	for opt in "--sync=bogus" "--batch=0" "--batch=1025" "--queue-depth=0" "--queue-depth=5000" \
		"--madvise=bogus" "--stdio-buffer=0" "--stdio-buffer=2G"; do
		run --separate-stderr "$MMAPTIMER" --size 64K --chunks 4K --methods all --runs 1 --dir d "$opt"
		assert_status 2
		assert_no_stdout
		assert_one_stderr_line
		assert_dir_empty "$WORK" d
		assert_dir_empty "$WORK/d"
	done
}

@test "a --dir anyone may write to without the sticky bit is refused; with it, fine" {
	mkdir open
	chmod 0777 open
	run --separate-stderr "$MMAPTIMER" --dir open --size 64K --chunks 4K --runs 1
	assert_status 2
	assert_no_stdout
	assert_stderr_contains "not sticky"
	assert_dir_empty open
	run --separate-stderr "$MMAPTIMER" read --dir open --size 64K --chunks 4K --runs 1
	assert_status 2
	assert_stderr_contains "not sticky"
	chmod 1777 open
	run --separate-stderr "$MMAPTIMER" --dir open --size 64K --chunks 4K --runs 1
	assert_status 0
	assert_dir_empty open
}
