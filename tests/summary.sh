#!/bin/sh
# summary.sh - count the TAP results in a log and print the closing line
# "N passed, N failed, N skipped"; exit 1 if anything failed or nothing ran.
log=${1:?usage: summary.sh TAPLOG}
[ -f "$log" ] || { echo "0 passed, 1 failed"; exit 1; }
skipped=$(grep -cE '^ok .*# (skip|SKIP)' "$log")
passed=$(( $(grep -c '^ok' "$log") - skipped ))
failed=$(grep -c '^not ok' "$log")
echo
[ "$failed" -gt 0 ] && { echo "failed:"; grep '^not ok' "$log" | sed 's/^/  /'; echo; }
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
