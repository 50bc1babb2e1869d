# valgrind-lib.sh - what valgrind.sh and valgrind-e2e.sh share: reading
# a valgrind log for errors, definite leaks and descriptors left open.
# Sourced, not run.

# opened_fds LOG: the descriptors valgrind found open at exit that the
# program opened itself (not inherited from its parent), with where.  The
# unit-test runner's pipe, which each forked test writes its verdict to,
# is the runner's own and meant to be open.
opened_fds() {
	awk '/== Open (file descriptor|AF_[A-Z0-9]+ socket) [0-9]+:/ { if (held) print held; held = $0; next }
	     held && /<inherited from parent>/ { held = ""; next }
	     held && /== *$/ { print held; held = ""; next }
	     held { held = held " " $0 }
	     END { if (held) print held }' "$1" | grep -v 'run_test (runner\.c'
}

# log_problems LOG: print what LOG shows wrong (nothing when it is clean).
# A forked peer (ipc's consumers) holds the descriptors its parent opened
# for it until it _exits, which valgrind calls opened, not inherited; so
# descriptors are checked only in a log that lists itself as open, which
# is the log of the process valgrind started.  Nor in the log of a process
# that a signal ended (the signal tests do that on purpose): the kernel
# closes what it had open.  Its errors and leaks still count.
log_problems() {
	if grep -qE '^==[0-9]+== (Invalid|Conditional|Syscall param|Mismatched|Source and destination)|definitely lost: [1-9]|ERROR SUMMARY: [1-9]' "$1"; then
		sed 's/^/#   /' "$1" | head -30
	fi
	if grep -q "== Open file descriptor [0-9]*: $1\$" "$1" &&
		! grep -q "== Process terminating with default action of signal" "$1" &&
		opened_fds "$1" | grep -q .; then
		echo "# $1: descriptors the program opened and left open at exit:"
		opened_fds "$1" | sed 's/^/#   /' | head -20
	fi
}
