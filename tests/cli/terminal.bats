#!/usr/bin/env bats
# terminal.bats - what a person at a terminal sees besides the table: the
# chart under it (write, read and report; --chart, --no-chart, on by
# default only on a terminal, never wider than 80 columns) and the progress line on stderr (only on a
# terminal, silenced by --quiet, without colour under NO_COLOR).  A pty
# comes from script(1).  Structure only, never a timing.

load common

# python: a python3 for counting characters (not bytes) in UTF-8 text.
python() {
	local py=/usr/bin/python3
	[ -x "$py" ] || py=$(command -v python3 || true)
	[ -n "$py" ] || skip "no python3 to count UTF-8 characters"
	"$py" "$@"
}

# widest FILE: the longest line of FILE in characters.
widest() {
	python -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$1"
}

# on_pty COMMAND: run COMMAND (a shell command line) with a terminal as
# its stdin, stdout and stderr; what the terminal showed is left in tty.out.
on_pty() {
	command -v script >/dev/null || skip "no script(1) to give the tool a terminal"
	script -qec "$1" /dev/null </dev/null >tty.out
}

@test "--chart draws the times under the table: braille curves, a marker per method, the legend, within 80 columns" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1:64K:x4 --methods mmap,write,null --runs 1 --chart
	assert_status 0
	printf '%s\n' "$output" >out.txt
	grep -q '^time per run, median (log scales' out.txt || fail "no chart: $output"
	# The table comes first, the chart after the verdict.
	[ "$(grep -n '^verdict:' out.txt | cut -d: -f1)" -lt "$(grep -n '^time per run, median' out.txt | cut -d: -f1)" ] ||
		fail "the chart is not under the table"
	grep -q '● mmap  ○ write  ■ null' out.txt || fail "no legend: $output"
	python -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read(); sys.exit(not any(0x2800 < ord(c) <= 0x28ff for c in t))' out.txt ||
		fail "no braille dots in the chart"
	grep -q ' 1 B .* 16 B .* 256 B .* 4 KiB .* 64 KiB' out.txt || fail "no size labels under the chart"
	sed -n '/^time per run, median/,$p' out.txt >chart.txt
	[ "$(wc -l <chart.txt)" -ge 16 ] || fail "a chart of $(wc -l <chart.txt) lines"
	[ "$(widest chart.txt)" -le 80 ] || fail "a line is $(widest chart.txt) characters wide: $output"
	# Without a terminal and without colour asked: no escape codes.
	! grep -q $'\033' out.txt || fail "colour escapes in a file"
}

@test "--chart: a method that could not run is named unavailable; the chart still fits 80 columns" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1,3 --methods mmap,direct,write,pwrite,writev,stdio --runs 1 --chart
	assert_status 0
	printf '%s\n' "$output" >out.txt
	grep -q 'direct: unavailable' out.txt || fail "direct not named unavailable: $output"
	# The chart, not the table: the table's rows of reasons may be wider.
	sed -n '/^time per run, median/,$p' out.txt >chart.txt
	[ "$(widest chart.txt)" -le 80 ] || fail "a line is $(widest chart.txt) characters wide: $(cat chart.txt)"
}

@test "the chart is off by default when standard output is not a terminal, and --chart needs the table" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 4K,64K --runs 1
	assert_status 0
	[[ $output != *"time per run, median"* ]] || fail "a chart in a pipe"
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 4K,64K --runs 1 --format json --chart
	assert_usage_error "mmaptimer: --chart is drawn under the table, not with --format json"
	# --no-chart wins when given last, and --chart to a file puts it there.
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 4K,64K --runs 1 --chart --no-chart
	assert_status 0
	[[ $output != *"time per run, median"* ]] || fail "--no-chart ignored"
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 4K,64K --runs 1 --chart -o t.txt
	assert_status 0
	grep -q '^time per run, median' t.txt || fail "no chart in the file"
}

@test "on a terminal: the chart is on by default, in colour, and --no-chart and NO_COLOR are obeyed" {
	on_pty "'$MMAPTIMER' --size 64K --chunks 4K,64K --runs 1 --quiet"
	grep -q '^time per run, median' tty.out || fail "no chart on a terminal: $(cat tty.out)"
	grep -q $'\033\\[3[0-9]m' tty.out || fail "no colour on a terminal"
	on_pty "NO_COLOR=1 '$MMAPTIMER' --size 64K --chunks 4K,64K --runs 1 --quiet"
	grep -q '^time per run, median' tty.out || fail "no chart under NO_COLOR"
	! grep -q $'\033' tty.out || fail "escape codes despite NO_COLOR: $(cat -v tty.out)"
	on_pty "'$MMAPTIMER' --size 64K --chunks 4K,64K --runs 1 --quiet --no-chart"
	grep -q '^verdict:' tty.out || fail "no table"
	! grep -q 'time per run, median' tty.out || fail "--no-chart ignored"
}

@test "report draws the chart of a saved or JSON result as write does: on a terminal, with --chart, never in a pipe" {
	"$MMAPTIMER" --size 64K --chunks 4K,64K --methods mmap,write --runs 1 -q -f json -o r.json
	run --separate-stderr "$MMAPTIMER" report r.json
	assert_status 0
	[[ $output == *"verdict:"* && $output != *"time per run, median"* ]] || fail "a chart in a pipe: $output"
	run --separate-stderr "$MMAPTIMER" report r.json --chart
	assert_status 0
	printf '%s\n' "$output" >out.txt
	grep -q '● mmap  ○ write' out.txt || fail "no chart: $output"
	sed -n '/^time per run, median/,$p' out.txt >chart.txt
	[ "$(widest chart.txt)" -le 80 ] || fail "a line is $(widest chart.txt) characters wide"
	run --separate-stderr "$MMAPTIMER" report r.json --format csv --chart
	assert_status 2
	[ "$stderr" = "mmaptimer: --chart is drawn under the table, not with --format csv" ] || fail "$stderr"
	on_pty "'$MMAPTIMER' report r.json"
	grep -q '^time per run, median' tty.out || fail "no chart on a terminal: $(cat tty.out)"
	on_pty "'$MMAPTIMER' report r.json --no-chart"
	! grep -q 'time per run, median' tty.out || fail "--no-chart ignored"
}

@test "write --help and read --help name the picture and terminal options" {
	local cmd o
	for cmd in write read; do
		run --separate-stderr "$MMAPTIMER" "$cmd" --help
		assert_status 0
		for o in --plot --html --chart --no-chart --quiet 'svg or html'; do
			[[ $output == *"$o"* ]] || fail "$cmd --help does not mention $o"
		done
	done
}

@test "progress on a terminal: point, runs done of all, elapsed and time left, on one line rewritten, cleared at the end" {
	on_pty "'$MMAPTIMER' --size 256K --chunks 1K,4K,64K --runs 2 --warmup 1 -o out.txt"
	[ -s out.txt ] || fail "no result"
	# stdout went to the file: the terminal shows only the progress.
	grep -q $'\r\033\\[K' tty.out || fail "progress is not rewritten in place: $(cat -v tty.out)"
	grep -q '\[1/18\] mmap 1 KiB chunks, warmup 1 of 1, 0s elapsed' tty.out || fail "first update: $(cat -v tty.out)"
	grep -q '\[18/18\] .* chunks, run 2 of 2, [0-9]*s elapsed, about [0-9]*s left' tty.out ||
		fail "last update: $(cat -v tty.out)"
	[ "$(wc -l <tty.out)" -eq 0 ] || fail "progress printed more than one line: $(cat -v tty.out)"
	# The end: back to the start of the line and erase it.
	[ "$(tail -c 4 tty.out | od -An -tx1 | tr -d ' ')" = 0d1b5b4b ] ||
		fail "the line is not cleared at the end: $(tail -c 20 tty.out | od -c)"
}

@test "progress: NO_COLOR gives a plain line cleared with spaces; --quiet gives none" {
	on_pty "NO_COLOR=1 '$MMAPTIMER' --size 64K --chunks 1K,64K --runs 1 -o out.txt"
	grep -q '\[1/4\] ' tty.out || fail "no progress: $(cat -v tty.out)"
	! grep -q $'\033' tty.out || fail "escape codes despite NO_COLOR: $(cat -v tty.out)"
	# The end: spaces over the last line, and back to its start.
	[ "$(tail -c 2 tty.out | od -An -tx1 | tr -d ' ')" = 200d ] ||
		fail "the line is not cleared at the end: $(tail -c 20 tty.out | od -c)"
	[ "$(wc -l <tty.out)" -eq 0 ] || fail "progress printed more than one line: $(cat -v tty.out)"
	rm out.txt
	on_pty "'$MMAPTIMER' --size 64K --chunks 1K,64K --runs 1 -o out.txt --quiet"
	[ ! -s tty.out ] || fail "progress despite --quiet: $(cat -v tty.out)"
	on_pty "'$MMAPTIMER' read --size 64K --chunks 1K,64K --runs 1 -o r.txt"
	grep -q '\[1/4\] mmap 1 KiB chunks, run 1 of 1' tty.out || fail "no progress for read: $(cat -v tty.out)"
}
