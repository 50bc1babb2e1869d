# mmaptimer - build, test and install.
#
#   make                  build ./mmaptimer
#   make run              build it and run the classic experiment here
#   make check            build, run every test, then again under ASan+UBSan
#   make check-tsan       the shared ring under ThreadSanitizer (part of check)
#   make bench            run the overhead benchmark (bench/overhead)
#   make bench-peers      mmaptimer, fio and sysbench against a bare loop (bench/peers)
#   make bench-read-scale reads of 10 MiB, 1 GiB and more than memory (bench/read-scale)
#   make bench-ipc        every ipc transport: latency against the floor, throughput (bench/ipc)
#   make fuzz             fuzz every parser with libFuzzer, FUZZ_SECONDS each (fuzz/)
#   make check-valgrind   the unit tests and a set of runs under valgrind
#   make check-valgrind-e2e  every end-to-end test with the tool under valgrind
#   make install PREFIX=/usr/local DESTDIR=
#   make SANITIZE=address,undefined   a sanitizer build (in build/san)
#   make V=1              show the compiler command lines

CC      ?= cc
PREFIX  ?= /usr/local
WERROR  ?= $(if $(CI),-Werror,)

CSTD     = -std=c11 -D_GNU_SOURCE
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wformat=2 $(WERROR)
OPT     ?= -O2 -g
CFLAGS  ?=
LDFLAGS ?=
LDLIBS  += -lm
# Saved results (src/store/) need SQLite (Debian: libsqlite3-dev).
LDLIBS  += -lsqlite3

ifeq ($(SANITIZE),)
BUILD   ?= build
BIN     ?= mmaptimer
SANFLAGS =
else
BUILD   ?= build/san
BIN     ?= $(BUILD)/mmaptimer
SANFLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

# io_uring methods need liburing (Debian: liburing-dev); without it they
# are built as stubs that report why they cannot run.  After installing
# or removing it, `make clean`.
HAVE_LIBURING ?= $(shell printf '\043include <liburing.h>\nint main(void){return 0;}\n' | \
	$(CC) -x c - -o /dev/null -luring >/dev/null 2>&1 && echo 1)
ifeq ($(HAVE_LIBURING),1)
URING_CFLAGS = -DMMT_HAVE_LIBURING
LDLIBS += -luring
endif

# POSIX message queues (mmaptimer ipc) live in librt before glibc 2.34
# and in libc itself since; link librt only where mq_open needs it.
NEED_LIBRT ?= $(shell printf '\043include <mqueue.h>\nint main(void){return mq_open("/x", 0) != 0;}\n' | \
	$(CC) -x c - -o /dev/null >/dev/null 2>&1 || echo 1)
ifeq ($(NEED_LIBRT),1)
LDLIBS += -lrt
endif

ALL_CFLAGS = $(CSTD) $(WARN) $(OPT) $(SANFLAGS) $(URING_CFLAGS) -Iinclude -Isrc -MMD -MP $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

ifeq ($(V),1)
Q =
say =
else
Q = @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

LIB_SRC  = $(wildcard src/core/*.c src/methods/*.c src/report/*.c src/ipc/*.c)
LIB_SRC += $(wildcard src/store/*.c)
CLI_SRC  = $(wildcard src/cli/*.c)
UNIT_SRC = $(wildcard tests/unit/*.c)

LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ = $(UNIT_SRC:%.c=$(BUILD)/%.o)
LIB      = $(BUILD)/libmmaptimer.a
UNIT     = $(BUILD)/unit-tests

# Fuzzing (fuzz/): one libFuzzer target per parser, and a replay driver,
# built with the normal compiler, that make check runs on each target's
# seed corpus and on every input fuzzing once found to break it.  To add
# a target, write fuzz/fuzz-<name>.c, add <name> here and a row to the
# table in fuzz/replay.c.
FUZZ_TARGETS = size chunks values argv import
FUZZ_SECONDS ?= 60
FUZZ_CC     ?= clang
FUZZ_SRC     = $(FUZZ_TARGETS:%=fuzz/fuzz-%.c) fuzz/common.c
FUZZ_CFLAGS  = $(filter-out -MMD -MP,$(ALL_CFLAGS)) -Ifuzz
CLI_LIB_OBJ  = $(filter-out $(BUILD)/src/cli/main.o,$(CLI_SRC:%.c=$(BUILD)/%.o))
REPLAY       = $(BUILD)/fuzz-replay

.PHONY: all run check check-one check-tsan bench bench-peers bench-read-scale bench-ipc install uninstall clean
.PHONY: fuzz fuzz-bins check-valgrind check-valgrind-e2e
all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(call say,AR,$@)$(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(UNIT): $(UNIT_OBJ) $(LIB)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(LIB) $(LDLIBS)

# The classic experiment: 10 MiB, 15 chunk sizes, mmap against write().
run: $(BIN)
	./$(BIN)

# One build's tests: unit tests, then the end-to-end tests of its binary,
# then every fuzz target on its corpus and past findings.
check-one: $(BIN) $(UNIT) $(REPLAY)
	@LABEL=$(or $(LABEL),$(if $(SANITIZE),sanitize=$(SANITIZE),plain)) MMAPTIMER=$(abspath $(BIN)) UNIT=$(abspath $(UNIT)) REPLAY=$(abspath $(REPLAY)) tests/run-tap.sh

# Every test, in the plain build, again under AddressSanitizer and
# UndefinedBehaviorSanitizer, and once more built without liburing (the
# uring method must then say why it cannot run, and nothing else change);
# tests/summary.sh prints "N passed, N failed".
check:
	@mkdir -p build && rm -f build/tap.log
	@$(MAKE) --no-print-directory check-one TAPLOG=$(abspath build/tap.log) || true
	@$(MAKE) --no-print-directory SANITIZE=address,undefined check-one TAPLOG=$(abspath build/tap.log) || true
	@$(MAKE) --no-print-directory HAVE_LIBURING=0 BUILD=build/nouring BIN=build/nouring/mmaptimer \
		LABEL=no-liburing check-one TAPLOG=$(abspath build/tap.log) || true
	@$(MAKE) --no-print-directory check-tsan TAPLOG=$(abspath build/tap.log) || true
	@tests/summary.sh build/tap.log

export TAPLOG

# The ring under ThreadSanitizer: the same ring code driven by threads
# (TSan cannot follow memory shared between processes).  TSan reports a
# race as an error and the program's TAP says which exchange failed.
TSAN_BIN = build/tsan/ring-threads
TSAN_SRC = tests/tsan/ring-threads.c src/ipc/ring.c src/core/clock.c src/core/error.c src/core/tempfile.c src/core/stats.c
$(TSAN_BIN): $(TSAN_SRC) src/ipc/ipc.h include/mmaptimer.h
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(CSTD) $(WARN) -Wno-tsan -O1 -g -fsanitize=thread -Iinclude -Isrc -o $@ $(TSAN_SRC) -lm -pthread

check-tsan: $(TSAN_BIN)
	@echo "# ring under ThreadSanitizer (threads)"
	@out=$$(TSAN_OPTIONS=halt_on_error=1 ./$(TSAN_BIN) 2>&1); rc=$$?; echo "$$out"; \
	  [ -z "$(TAPLOG)" ] || echo "$$out" >>"$(TAPLOG)"; \
	  if [ $$rc -ne 0 ] && ! echo "$$out" | grep -q '^not ok'; then \
	    echo "not ok - ring-threads exited with status $$rc"; \
	    [ -z "$(TAPLOG)" ] || echo "not ok - ring-threads exited with status $$rc" >>"$(TAPLOG)"; fi

BENCH_BIN = $(BUILD)/bench-overhead
$(BENCH_BIN): bench/overhead.c bench/bare.c bench/bare.h $(LIB)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ bench/overhead.c bench/bare.c $(LIB) $(LDLIBS)

BARE_BIN = $(BUILD)/bench-bare
$(BARE_BIN): bench/bare-run.c bench/bare.c bench/bare.h $(LIB)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ bench/bare-run.c bench/bare.c $(LIB) $(LDLIBS)

bench: $(BENCH_BIN) $(BIN)
	bench/overhead

bench-peers: $(BARE_BIN) $(BIN)
	bench/peers

bench-read-scale: $(BIN)
	bench/read-scale

bench-ipc: $(BIN)
	bench/ipc

# The unit tests and a set of command lines under valgrind: no invalid
# access, no definite leak, no descriptor left open (tests/valgrind.sh).
# Not part of make check, being slow; .ci/run runs it after make check.
check-valgrind: $(BIN) $(UNIT)
	@tests/valgrind.sh $(BIN) $(UNIT)

# Every end-to-end test with the tool under valgrind (tests/valgrind-e2e.sh):
# about an hour here, so neither make check nor CI runs it.
check-valgrind-e2e: $(BIN)
	@tests/valgrind-e2e.sh $(BIN)

$(REPLAY): fuzz/replay.c $(FUZZ_SRC) fuzz/fuzz.h $(CLI_LIB_OBJ) $(LIB)
	$(call say,LINK,$@)$(CC) $(FUZZ_CFLAGS) $(ALL_LDFLAGS) -o $@ fuzz/replay.c $(FUZZ_SRC) $(CLI_LIB_OBJ) $(LIB) $(LDLIBS)

# libFuzzer builds, with clang, ASan and UBSan, in build/fuzz; then each
# target for FUZZ_SECONDS (fuzz/run says what it found and how many
# inputs it ran).  Not part of make check: it takes minutes.
fuzz:
	@$(MAKE) --no-print-directory CC=$(FUZZ_CC) SANITIZE=fuzzer-no-link,address,undefined \
		BUILD=build/fuzz fuzz-bins
	@FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run build/fuzz $(FUZZ_TARGETS)

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/fuzz-%)

$(BUILD)/fuzz-%: fuzz/fuzz-%.c fuzz/common.c fuzz/fuzz.h $(CLI_LIB_OBJ) $(LIB)
	$(call say,LINK,$@)$(CC) $(FUZZ_CFLAGS) -DMMT_LIBFUZZER -fsanitize=fuzzer $(ALL_LDFLAGS) \
		-o $@ $< fuzz/common.c $(CLI_LIB_OBJ) $(LIB) $(LDLIBS)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/mmaptimer
	install -m 644 doc/mmaptimer.1 $(DESTDIR)$(PREFIX)/share/man/man1/mmaptimer.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mmaptimer $(DESTDIR)$(PREFIX)/share/man/man1/mmaptimer.1

clean:
	rm -rf build mmaptimer

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
