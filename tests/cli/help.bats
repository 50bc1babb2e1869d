#!/usr/bin/env bats
# help.bats - help, version, the command table, and the `methods` and `env`
# subcommands.

load common

# assert_exit_codes_help: $output documents the exit codes.
assert_exit_codes_help() {
	[[ $output == *"Exit status: 0 success, 1 a run or I/O failure"* ]] || fail "exit 0/1 not documented"
	[[ $output == *"2 a usage error"* ]] || fail "exit 2 not documented"
	[[ $output == *"128+N when killed by signal N"* ]] || fail "signal exit codes not documented"
}

@test "--help prints usage, the commands and the exit codes on stdout, exit 0" {
	run --separate-stderr "$MMAPTIMER" --help
	assert_status 0
	[ -z "$stderr" ] || fail "unexpected stderr: $stderr"
	[ "${lines[0]%% *}" = "usage:" ] || fail "first line is not a usage line: ${lines[0]}"
	[[ $output == *"--help | --version"* ]] || fail "--help/--version not mentioned"
	for cmd in write methods env; do
		printf '%s\n' "${lines[@]}" | grep -qE "^  $cmd +[a-z]" || fail "command '$cmd' not listed"
	done
	[[ $output == *"'mmaptimer <command> --help' describes a command's options"* ]] ||
		fail "does not say where the options are described"
	assert_exit_codes_help
	assert_dir_empty "$WORK"
}

@test "-h is the same as --help" {
	run --separate-stderr "$MMAPTIMER" --help
	local long=$output
	run --separate-stderr "$MMAPTIMER" -h
	assert_status 0
	[ -z "$stderr" ]
	[ "$output" = "$long" ] || fail "-h and --help differ"
}

@test "write --help lists every option and the exit codes, exit 0" {
	run --separate-stderr "$MMAPTIMER" write --help
	assert_status 0
	[ -z "$stderr" ]
	[ "${lines[0]}" = "usage: mmaptimer [write] [options]" ] || fail "usage line: ${lines[0]}"
	local o
	for o in "-s, --size SIZE" "-c, --chunks LIST" "-m, --methods LIST" "-r, --runs N" \
		"-w, --warmup N" "-d, --dir DIR" "-f, --format FMT" "-o, --output FILE" \
		"-q, --quiet" "-h, --help" "-V, --version"; do
		[[ $output == *"$o"* ]] || fail "option '$o' not in write --help"
	done
	assert_exit_codes_help
	assert_dir_empty "$WORK"
}

@test "write -h and options-only --help (the classic experiment) print the write help" {
	run --separate-stderr "$MMAPTIMER" write --help
	local ref=$output
	run --separate-stderr "$MMAPTIMER" write -h
	assert_status 0
	[ "$output" = "$ref" ] || fail "write -h differs from write --help"
	# With no command the options are those of write; --help after another
	# option reaches write's own --help.
	run --separate-stderr "$MMAPTIMER" --quiet --help
	assert_status 0
	[ "$output" = "$ref" ] || fail "'--quiet --help' differs from write --help"
	assert_dir_empty "$WORK"
}

@test "methods --help and env --help, exit 0" {
	run --separate-stderr "$MMAPTIMER" methods --help
	assert_status 0
	[ -z "$stderr" ]
	[ "${lines[0]}" = "usage: mmaptimer methods [--dir DIR]" ] || fail "usage line: ${lines[0]}"
	assert_exit_codes_help

	run --separate-stderr "$MMAPTIMER" env --help
	assert_status 0
	[ -z "$stderr" ]
	[ "${lines[0]}" = "usage: mmaptimer env [--dir DIR]" ] || fail "usage line: ${lines[0]}"
	assert_exit_codes_help
	assert_dir_empty "$WORK"
}

@test "--version and -V print 'mmaptimer X.Y.Z', exit 0" {
	local v
	for v in --version -V "write --version"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$MMAPTIMER" $v
		assert_status 0
		[ -z "$stderr" ]
		[ "${#lines[@]}" -eq 1 ] || fail "$v: expected one line, got: $output"
		[[ ${lines[0]} =~ ^mmaptimer\ [0-9]+\.[0-9]+\.[0-9]+( |$) ]] ||
			fail "$v: not 'mmaptimer X.Y.Z': ${lines[0]}"
	done
	assert_dir_empty "$WORK"
}

@test "an unknown command is a usage error" {
	run --separate-stderr "$MMAPTIMER" frobnicate
	assert_usage_error "mmaptimer: unknown command 'frobnicate' (see 'mmaptimer --help')"
}

@test "methods lists mmap, write and null as available" {
	run --separate-stderr "$MMAPTIMER" methods
	assert_status 0
	[ -z "$stderr" ] || fail "unexpected stderr: $stderr"
	[[ ${lines[0]} =~ ^method\ +ops\ +available\ +description$ ]] || fail "header: ${lines[0]}"
	local m
	for m in mmap write null; do
		printf '%s\n' "${lines[@]}" | grep -qE "^$m +write(,read)? +yes +[^ ]" ||
			fail "method '$m' not listed as available: $output"
	done
	run --separate-stderr "$MMAPTIMER" methods --dir "$WORK"
	assert_status 0
	printf '%s\n' "${lines[@]}" | grep -qE "^mmap +write(,read)? +yes "
	assert_dir_empty "$WORK"
}

@test "env prints kernel and filesystem lines" {
	run --separate-stderr "$MMAPTIMER" env
	assert_status 0
	[ -z "$stderr" ] || fail "unexpected stderr: $stderr"
	local k f
	k=$(printf '%s\n' "${lines[@]}" | grep -E '^kernel +[^ ]')
	[ -n "$k" ] || fail "no kernel line: $output"
	[[ $k == *"$(uname -r)"* ]] || fail "kernel line does not name $(uname -r): $k"
	f=$(printf '%s\n' "${lines[@]}" | grep -E '^filesystem +[^ ]+ on .*, mounted at /')
	[ -n "$f" ] || fail "no filesystem line: $output"
	printf '%s\n' "${lines[@]}" | grep -qE "^directory +$WORK\$" || fail "directory is not $WORK"
	printf '%s\n' "${lines[@]}" | grep -qE '^clock +CLOCK_MONOTONIC, resolution [0-9]+ ns'
	assert_dir_empty "$WORK"
}

@test "env --dir names the filesystem of that directory" {
	mkdir sub
	mount_tmpfs "$WORK/sub" size=1m
	run --separate-stderr "$MMAPTIMER" env --dir sub
	assert_status 0
	printf '%s\n' "${lines[@]}" | grep -qE "^filesystem +tmpfs on tmpfs, mounted at $WORK/sub\$" ||
		fail "filesystem line does not name the tmpfs: $output"
}

@test "methods and env: bad arguments are usage errors" {
	: >afile
	run --separate-stderr "$MMAPTIMER" env --dir afile
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: cannot use directory 'afile': Not a directory"
	run --separate-stderr "$MMAPTIMER" methods --dir afile
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: cannot use directory 'afile': Not a directory"
	run --separate-stderr "$MMAPTIMER" methods --dir "$WORK/missing"
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: cannot use directory '$WORK/missing': No such file or directory"
	run --separate-stderr "$MMAPTIMER" env extra
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: unexpected argument 'extra' (see 'mmaptimer env --help')"
	run --separate-stderr "$MMAPTIMER" methods --bogus
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: unknown option '--bogus' (see 'mmaptimer methods --help')"
	run --separate-stderr "$MMAPTIMER" env --dir
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: option '--dir' needs a value"
	assert_dir_empty "$WORK" afile
}

@test "methods and env: an unknown short option is named in the message" {
	# getopt stays inside "-zq" after the 'z', so argv[optind - 1] is the
	# previous argument, not the bad option.
	run --separate-stderr "$MMAPTIMER" env -zq
	assert_status 2
	assert_no_stdout
	assert_one_stderr_line "mmaptimer: unknown option '-z' (see 'mmaptimer env --help')"
	run --separate-stderr "$MMAPTIMER" methods -z
	assert_status 2
	assert_one_stderr_line "mmaptimer: unknown option '-z' (see 'mmaptimer methods --help')"
	run --separate-stderr "$MMAPTIMER" methods -zq
	assert_status 2
	assert_one_stderr_line "mmaptimer: unknown option '-z' (see 'mmaptimer methods --help')"
}
