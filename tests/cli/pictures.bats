#!/usr/bin/env bats
# pictures.bats - the SVG plot (--plot, --format svg): well-formed XML, one
# line per method in each panel, the legend naming every method (those that
# could not run as unavailable), text escaped, and a bad file name refused
# before anything is measured.  Structure only, never a timing.

load common

# xpath FILE EXPR: evaluate an XPath expression on an SVG file, ignoring
# the SVG namespace.
xpath() {
	xmllint --xpath "$2" "$1"
}

# svg_lines FILE METHOD: how many median lines METHOD has in FILE.
svg_lines() {
	xpath "$1" "count(//*[local-name()='g'][@class='method'][@data-method='$2']/*[local-name()='path'][@class='line' or @class='line yardstick'])"
}

@test "--plot writes a well-formed SVG: two panels, one line per method in each, a legend label per method" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1:64K:x4 --methods mmap,write,null --runs 2 --plot plot.svg
	assert_status 0
	[ -s plot.svg ] || fail "no plot.svg"
	# The table still goes to standard output.
	[[ $output == *verdict:* ]] || fail "no table on stdout: $output"
	run xmllint --noout plot.svg
	[ "$status" -eq 0 ] || fail "xmllint: $output"
	[ "$(xpath plot.svg 'name(/*)')" = svg ] || fail "the root element is not svg"
	[ "$(xpath plot.svg "count(//*[local-name()='path'][starts-with(@class, 'line')])")" = 6 ] ||
		fail "expected 6 lines (3 methods, 2 panels)"
	local m
	for m in mmap write null; do
		[ "$(svg_lines plot.svg "$m")" = 2 ] || fail "method $m does not have one line in each panel"
		# A dot with a tooltip at each of the 9 chunk sizes, in each panel.
		[ "$(xpath plot.svg "count(//*[local-name()='g'][@data-method='$m']/*[local-name()='circle'])")" = 18 ] ||
			fail "method $m does not have a dot per point"
		xpath plot.svg "//*[local-name()='g'][@class='legend']/*[local-name()='text'][starts-with(@class, 'legend-label')]/text()" |
			grep -q "^$m" || fail "no legend label for $m"
	done
	# Readable tick labels at the round sizes, and both panels' titles.
	for m in '1 B' '4 B' '1 KiB' '64 KiB'; do
		xpath plot.svg "//*[local-name()='text'][@class='tick']/text()" | grep -qx "$m" ||
			fail "no tick label '$m'"
	done
	xpath plot.svg "//*[local-name()='text'][@class='tick']/text()" | grep -Eqx '[0-9]+ (ns|µs|ms|s)' ||
		fail "no time tick label"
	xpath plot.svg "//*[local-name()='text'][@class='tick']/text()" | grep -Eqx '[0-9]+ (B|KiB|MiB|GiB|TiB)/s' ||
		fail "no throughput tick label"
	[ "$(xpath plot.svg "count(//*[local-name()='text'][@class='panel-title'])")" = 2 ] || fail "not two panels"
}

@test "--plot: a method that cannot run at any size is in the legend as unavailable, and not drawn" {
	# O_DIRECT cannot write 1-byte or 3-byte chunks: direct is unavailable
	# at every point of this sweep.
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1,3 --methods mmap,direct,write --runs 1 --plot plot.svg
	assert_status 0
	xmllint --noout plot.svg
	[ "$(svg_lines plot.svg direct)" = 0 ] || fail "direct is drawn"
	[ "$(svg_lines plot.svg mmap)" = 2 ] || fail "mmap is not drawn"
	xpath plot.svg "//*[local-name()='text'][@class='legend-label unavailable']/text()" | grep -qx 'direct: unavailable' ||
		fail "direct is not listed as unavailable"
}

@test "--plot: a method unavailable at some sizes is drawn where it ran and says where it did not" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1,4K,64K --methods mmap,direct --runs 1 --plot plot.svg
	assert_status 0
	xmllint --noout plot.svg
	[ "$(svg_lines plot.svg direct)" = 2 ] || fail "direct is not drawn"
	xpath plot.svg "//*[local-name()='text'][@class='legend-label']/text()" | grep -qx 'direct (n/a at 1 of 3 sizes)' ||
		fail "the legend does not say where direct could not run"
}

@test "--format svg writes the plot to standard output; read --plot works too" {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 4K,64K --runs 1 --format svg
	assert_status 0
	printf '%s\n' "$output" | xmllint --noout - || fail "not well-formed: $output"
	run --separate-stderr "$MMAPTIMER" read --size 64K --chunks 4K,64K --runs 1 --plot r.svg
	assert_status 0
	xmllint --noout r.svg
	[ "$(svg_lines r.svg mmap)" = 2 ] && [ "$(svg_lines r.svg read)" = 2 ] || fail "read's methods not drawn"
	assert_dir_empty "$WORK" r.svg
}

@test "--plot escapes text: a directory named with markup and a byte that is not UTF-8" {
	local d
	d=$(printf 'a<b>&"c'"'"'\377d')
	mkdir "$d"
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 64K --runs 1 --dir "$d" --plot plot.svg
	assert_status 0
	run xmllint --noout plot.svg
	[ "$status" -eq 0 ] || fail "xmllint: $output"
	grep -q 'a&lt;b&gt;&amp;&quot;c&#39;' plot.svg || fail "the directory name is not escaped"
	assert_dir_empty "$d"
}

@test "--plot to a bad place is a usage error found before measuring, and nothing is created" {
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --plot "$WORK/no/plot.svg"
	assert_usage_error "mmaptimer: cannot write '$WORK/no/plot.svg': No such file or directory"
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --plot ''
	assert_usage_error "mmaptimer: empty file name for --plot"
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --plot -
	assert_usage_error "mmaptimer: --plot needs a file name ('-f svg' writes it to standard output)"
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --plot same --output same
	assert_usage_error "mmaptimer: 'same' is named by both --output and --plot"
	# A bad --dir is found before the plot is written too.
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --plot plot.svg --dir "$WORK/none"
	assert_status 2
	assert_dir_empty "$WORK"
}

@test "--plot never overwrites an existing file" {
	echo precious >plot.svg
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --plot plot.svg
	assert_status 2
	assert_one_stderr_line "mmaptimer: will not overwrite 'plot.svg': it already exists"
	[ "$(cat plot.svg)" = precious ] || fail "plot.svg changed"
	ln -s nowhere link.svg
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --plot link.svg
	assert_status 2
	[ ! -e nowhere ] || fail "the symlink was followed"
	assert_dir_empty "$WORK" plot.svg link.svg
}

@test "a run that fails leaves no plot behind" {
	MMAPTIMER_TEST_CORRUPT=100 run --separate-stderr "$MMAPTIMER" --size 64K --chunks 64K --runs 1 --plot plot.svg
	assert_status 1
	assert_dir_empty "$WORK"
}
