# tests/fuzz/local.mk - libFuzzer targets for the pure code: the extended
# operations' BER decoders, durations and times, a role's policy values.
#
#   make check                       each target replays its seed corpus
#                                    and runs FUZZ_RUNS (default 200000)
#                                    generated inputs: tests/fuzz/run.sh
#   make fuzz FUZZ_SECONDS=300       each target fuzzes that long, keeping
#                                    its findings in tests/fuzz/work/
#                                    (FUZZ_TARGETS=fuzz_time: just one)
#   make fuzz-corpus                 regenerate tests/fuzz/corpus (seeds)
#
# libFuzzer needs clang, which configure does not look for (the project
# builds with any cc): the targets are built by explicit rules with
# $(FUZZ_CC), after a probe.  Without a clang that links
# -fsanitize=fuzzer they are not built, and run.sh reports the test as
# skipped, so that such a machine still passes make check.

FUZZ_CC = clang
FUZZ_SANITIZE = -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_COMPILE = $(FUZZ_CC) $(FUZZ_SANITIZE) -g -O1 \
	-Wall -Wextra -Wno-unused-parameter -I$(top_srcdir)/overlay -I$(top_srcdir)/tests
FUZZ_SECONDS = 60

# liblber: the installed one, or, with FUZZ_LBER=source, compiled from the
# configured OpenLDAP tree under the same sanitizers, so that ASan also
# sees the reads liblber makes in the bytes the codec hands it (switching
# needs make fuzz-clean: the targets do not know how they were linked).
FUZZ_LBER = -llber
FUZZ_LBER_DIR = $(OPENLDAP_SRC)/libraries/liblber
FUZZ_LBER_SOURCE = -D_GNU_SOURCE -DLBER_LIBRARY \
	-isystem $(OPENLDAP_BUILD)/include -isystem $(OPENLDAP_SRC)/include \
	-Wno-unused-but-set-variable -Wno-missing-field-initializers \
	$(FUZZ_LBER_DIR)/assert.c $(FUZZ_LBER_DIR)/bprint.c \
	$(FUZZ_LBER_DIR)/debug.c $(FUZZ_LBER_DIR)/decode.c \
	$(FUZZ_LBER_DIR)/encode.c $(FUZZ_LBER_DIR)/io.c \
	$(FUZZ_LBER_DIR)/memory.c $(FUZZ_LBER_DIR)/options.c \
	$(FUZZ_LBER_DIR)/sockbuf.c $(FUZZ_LBER_DIR)/stdio.c
FUZZ_TARGETS = fuzz_request fuzz_response fuzz_time fuzz_policy

FUZZ_PROGS = tests/fuzz/fuzz_request tests/fuzz/fuzz_response \
	tests/fuzz/fuzz_time tests/fuzz/fuzz_policy

# Built before the tests run; a rule that cannot build (no clang) makes
# nothing and says so.
check_SCRIPTS = $(FUZZ_PROGS)
TESTS += tests/fuzz/run.sh

# Does $(FUZZ_CC) compile and link a libFuzzer target at all?  Probed per
# target (the output name is the target's), so that make -j needs no
# shared state, and again on each make until it works.
FUZZ_PROBE = printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ return 0; }\n' | \
	$(FUZZ_COMPILE) -x c -o $@.probe - >/dev/null 2>&1; \
	fuzz_ok=$$?; rm -f $@.probe
FUZZ_BUILD = @$(MKDIR_P) tests/fuzz; \
	$(FUZZ_PROBE); \
	if test $$fuzz_ok = 0; then \
		echo "  FUZZCC   $@"; \
		if test '$(FUZZ_LBER)' = source; then \
			lber='$(FUZZ_LBER_SOURCE)'; \
		else \
			lber='$(FUZZ_LBER)'; \
		fi; \
		pure=; for f in $(PIM_PURE_SOURCES); do \
			case $$f in *.c) pure="$$pure $(srcdir)/$$f" ;; esac; \
		done; \
		$(FUZZ_COMPILE) -o $@ $(srcdir)/$@.c $$pure $$lber \
			$(NETTLE_CFLAGS) $(NETTLE_LIBS); \
	else \
		echo "fuzz: '$(FUZZ_CC)' cannot link -fsanitize=fuzzer: $@ not built," \
			"its test will be skipped (apt-get install clang libclang-rt-14-dev)"; \
	fi

# The code under test: the overlay's pure sources (overlay/local.mk).
$(FUZZ_PROGS): $(PIM_PURE_SOURCES)
tests/fuzz/fuzz_request: $(srcdir)/tests/fuzz/fuzz_request.c
	$(FUZZ_BUILD)
tests/fuzz/fuzz_response: $(srcdir)/tests/fuzz/fuzz_response.c
	$(FUZZ_BUILD)
tests/fuzz/fuzz_time: $(srcdir)/tests/fuzz/fuzz_time.c
	$(FUZZ_BUILD)
tests/fuzz/fuzz_policy: $(srcdir)/tests/fuzz/fuzz_policy.c
	$(FUZZ_BUILD)

# make fuzz: long runs.  Unlike make check, missing clang is an error.
fuzz: $(FUZZ_PROGS)
	PIM_TOP_SRCDIR='$(abs_top_srcdir)' PIM_TOP_BUILDDIR='$(abs_top_builddir)' \
	FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_TARGETS='$(FUZZ_TARGETS)' \
		$(SHELL) $(srcdir)/tests/fuzz/run.sh long

# The seed generator is an ordinary program, built with the tree so that
# it follows the codec's API.
noinst_PROGRAMS += tests/fuzz/make_corpus
tests_fuzz_make_corpus_SOURCES = tests/fuzz/make_corpus.c \
	overlay/pim_codec.c overlay/pim_time.c
tests_fuzz_make_corpus_CPPFLAGS = -I$(top_srcdir)/overlay
tests_fuzz_make_corpus_LDADD = -llber
fuzz-corpus: tests/fuzz/make_corpus
	tests/fuzz/make_corpus $(srcdir)/tests/fuzz/corpus

CLEANFILES += $(FUZZ_PROGS)
clean-local: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_PROGS) tests/fuzz/work tests/fuzz/crashes
.PHONY: fuzz fuzz-corpus fuzz-clean

EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/fuzz_request.c \
	tests/fuzz/fuzz_response.c tests/fuzz/fuzz_time.c \
	tests/fuzz/fuzz_policy.c tests/fuzz/corpus
