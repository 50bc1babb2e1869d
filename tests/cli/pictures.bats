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

# ---- the HTML report ---------------------------------------------------

# html_run ARGS...: a small sweep of mmap, write and direct (which cannot
# write 1-byte chunks) with --html report.html.
html_run() {
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 1,4K,64K --methods mmap,write,direct --runs 2 \
		--html report.html "$@"
	assert_status 0
	[ -s report.html ] || fail "no report.html"
}

@test "--html writes one self-contained, well-formed page: verdict, plots, results, counters, configuration, environment" {
	html_run
	# Written as well-formed XML (void elements closed), so that an XML
	# parser proves every tag closed and all text escaped.
	run xmllint --noout report.html
	[ "$status" -eq 0 ] || fail "xmllint: $output"
	head -1 report.html | grep -qx '<!DOCTYPE html>' || fail "no HTML5 doctype"
	local id
	for id in verdict plots results counters config env; do
		[ "$(xpath report.html "count(//*[local-name()='section'][@id='$id'])")" = 1 ] || fail "no section '$id'"
	done
	[ "$(xpath report.html "count(//*[local-name()='svg'])")" = 1 ] || fail "not one inline SVG"
	[ "$(xpath report.html "count(//*[local-name()='svg']//*[local-name()='path'][starts-with(@class, 'line')])")" = 6 ] ||
		fail "the plot does not have 3 lines (mmap, write, direct where it ran) in each panel"
	# One row per (chunk, method) in the results and in the counters.
	[ "$(xpath report.html "count(//*[local-name()='section'][@id='results']//*[local-name()='tbody']/*[local-name()='tr'])")" = 9 ] ||
		fail "not 9 result rows"
	[ "$(xpath report.html "count(//*[local-name()='section'][@id='counters']//*[local-name()='tbody']/*[local-name()='tr'])")" = 9 ] ||
		fail "not 9 counter rows"
	xpath report.html "//*[local-name()='section'][@id='verdict']/*[local-name()='p'][1]/text()" | grep -q '^verdict: ' ||
		fail "the verdict is not the first thing said"
	grep -q 'n/a: 1 B chunks are not a multiple' report.html || fail "direct's reason is not given"
	# Nothing is fetched: no script, no link, no source or reference to
	# another file, no CSS url() or @import; the only URL is the SVG
	# namespace name, which is never fetched.
	! grep -Eiq '<script|<link|<img|<iframe|<object|src=|href=|url\(|@import' report.html ||
		fail "the page refers to something outside itself: $(grep -Eio '<script|<link|<img|src=[^ ]*|href=[^ ]*|url\([^)]*|@import' report.html | head -3)"
	[ "$(grep -o 'https\?://[^"]*' report.html | sort -u)" = "http://www.w3.org/2000/svg" ] ||
		fail "a URL other than the SVG namespace: $(grep -o 'https\?://[^"]*' report.html | sort -u)"
	assert_dir_empty "$WORK" report.html
}

@test "--html escapes text: a directory named with markup and a byte that is not UTF-8" {
	local d
	d=$(printf 'x<b>&"y'"'"'\377z')
	mkdir "$d"
	run --separate-stderr "$MMAPTIMER" --size 64K --chunks 64K --runs 1 --dir "$d" --html report.html
	assert_status 0
	run xmllint --noout report.html
	[ "$status" -eq 0 ] || fail "xmllint: $output"
	grep -q 'x&lt;b&gt;&amp;&quot;y&#39;' report.html || fail "the directory name is not escaped"
	! grep -q 'x<b>' report.html || fail "markup from the directory name got through"
}

@test "--html: a bad place is a usage error found before measuring; one file cannot be two outputs" {
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --html "$WORK/no/r.html"
	assert_usage_error "mmaptimer: cannot write '$WORK/no/r.html': No such file or directory"
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --html ''
	assert_usage_error "mmaptimer: empty file name for --html"
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --plot same --html same
	assert_usage_error "mmaptimer: 'same' is named by both --plot and --html"
	echo precious >r.html
	run --separate-stderr "$MMAPTIMER" --size 64K --runs 1 --html r.html
	assert_status 2
	assert_one_stderr_line "mmaptimer: will not overwrite 'r.html': it already exists"
	[ "$(cat r.html)" = precious ] || fail "r.html changed"
}

@test "--html and --plot together, with --format json on stdout" {
	run --separate-stderr "$MMAPTIMER" read --size 64K --chunks 4K,64K --runs 1 --format json --plot p.svg --html r.html
	assert_status 0
	jq -e '.schema == "mmaptimer/1"' <<<"$output" >/dev/null || fail "stdout is not the JSON: $output"
	xmllint --noout p.svg
	xmllint --noout r.html
	grep -q 'resident before' r.html || fail "the read report lacks the cache column"
	assert_dir_empty "$WORK" p.svg r.html
}

@test "the HTML report in a real browser: headless Chromium loads it without a console message and shows the plot" {
	local chromium
	chromium=$(command -v chromium || command -v chromium-browser || true)
	[ -n "$chromium" ] || skip "chromium is not installed (Debian package 'chromium')"
	local py=/usr/bin/python3
	[ -x "$py" ] || py=$(command -v python3 || true)
	[ -n "$py" ] || skip "no python3 to read the screenshot"
	html_run
	# A page with no script can still make the browser complain (a
	# resource it cannot load, a parse problem it reports); any console
	# line fails the test.  --no-sandbox: Chromium refuses to run as root
	# without it.
	run --separate-stderr timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
		--enable-logging=stderr --v=0 --user-data-dir="$WORK/profile" --hide-scrollbars \
		--screenshot="$WORK/shot.png" --window-size=1000,800 "file://$WORK/report.html"
	[ "$status" -eq 0 ] || fail "chromium failed ($status): $stderr"
	if grep -q 'CONSOLE' <<<"$stderr"; then
		fail "console messages: $(grep 'CONSOLE' <<<"$stderr")"
	fi
	[ -s shot.png ] || fail "no screenshot: $stderr"
	# The screenshot holds the page, and the plot in it: many colours,
	# and the colours of the first two methods' lines (the SVG palette's
	# first two, #0072b2 for mmap and #d55e00 for write).
	run "$py" "$BATS_TEST_DIRNAME/pngcheck.py" shot.png '#0072b2' '#d55e00'
	[ "$status" -eq 0 ] || fail "cannot read the screenshot: $output"
	local w h colours mmap write
	read -r w h colours mmap write <<<"$output"
	[ "$w" = 1000 ] && [ "$h" = 800 ] || fail "screenshot is ${w}x$h"
	[ "$colours" -ge 50 ] || fail "a blank screenshot: $colours colours"
	[ "$mmap" -ge 50 ] && [ "$write" -ge 50 ] || fail "the plot's lines are not on the screenshot: $output"
}
