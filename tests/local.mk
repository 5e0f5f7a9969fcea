# tests/local.mk - unit tests (Check) and integration tests (real slapd).
check_PROGRAMS += tests/unit/check_pim
tests_unit_check_pim_SOURCES = \
	tests/unit/check_main.c tests/unit/check_pim.h tests/pim_test_util.h \
	tests/unit/check_time.c \
	tests/unit/check_codec.c \
	tests/unit/check_policy.c \
	tests/unit/check_state.c \
	tests/unit/check_totp.c \
	tests/unit/check_review.c \
	tests/unit/check_chain.c \
	tests/unit/check_version.c \
	tests/unit/check_timer_key.c overlay/pim_timer_key.h \
	overlay/pim_codec.c overlay/pim_time.c overlay/pim_policy.c \
	overlay/pim_state.c overlay/pim_totp.c overlay/pim_review_rules.c \
	overlay/pim_chain.c overlay/pim_version.c overlay/pim_event_kinds.c
tests_unit_check_pim_CPPFLAGS = -I$(top_srcdir)/overlay -I$(top_srcdir)/tests $(NETTLE_CFLAGS)
tests_unit_check_pim_CFLAGS = $(PIM_WARN_CFLAGS) $(CHECK_CFLAGS) $(SANITIZER_CFLAGS)
tests_unit_check_pim_LDFLAGS = $(SANITIZER_CFLAGS)
tests_unit_check_pim_LDADD = $(CHECK_LIBS) -llber $(NETTLE_LIBS)

TESTS += tests/unit/check_pim
TESTS += $(PIM_INTEGRATION_TESTS)

PIM_INTEGRATION_TESTS =
EXTRA_DIST += tests/integration/lib.sh tests/integration/invariant.py $(PIM_INTEGRATION_TESTS)

AM_TESTS_ENVIRONMENT = \
	PIM_TOP_SRCDIR='$(abs_top_srcdir)'; export PIM_TOP_SRCDIR; \
	PIM_TOP_BUILDDIR='$(abs_top_builddir)'; export PIM_TOP_BUILDDIR; \
	PIM_SLAPD='$(SLAPD)'; export PIM_SLAPD; \
	CK_DEFAULT_TIMEOUT=60; export CK_DEFAULT_TIMEOUT;
PIM_INTEGRATION_TESTS += tests/integration/seed-lab.sh
PIM_INTEGRATION_TESTS += tests/integration/refusals.sh
PIM_INTEGRATION_TESTS += tests/integration/restart.sh
PIM_INTEGRATION_TESTS += tests/integration/membership.sh
PIM_INTEGRATION_TESTS += tests/integration/expiry-batch.sh
PIM_INTEGRATION_TESTS += tests/integration/schema.sh
PIM_INTEGRATION_TESTS += tests/integration/config.sh
PIM_INTEGRATION_TESTS += tests/integration/eligibility-door.sh

# make bench: figures, not pass/fail (not part of make check).  See
# tests/bench/run.sh; PIM_BENCH_SCALE=10000 for a quicker run.
noinst_PROGRAMS += tests/bench/pim_bench
tests_bench_pim_bench_SOURCES = tests/bench/pim_bench.c \
	overlay/pim_codec.c overlay/pim_time.c
tests_bench_pim_bench_CPPFLAGS = -I$(top_srcdir)/overlay
tests_bench_pim_bench_CFLAGS = $(PIM_WARN_CFLAGS) -pthread
tests_bench_pim_bench_LDADD = -lldap -llber -lpthread
EXTRA_DIST += tests/bench/run.sh tests/bench/bench-lib.sh tests/bench/recon-ab.sh tests/bench/heap-mem.sh \
	tests/bench/groups-ab.sh \
	tests/bench/gen-ldif.awk tests/bench/lags.awk tests/bench/report.awk
bench: all tests/bench/pim_bench
	PIM_TOP_SRCDIR='$(abs_top_srcdir)' PIM_TOP_BUILDDIR='$(abs_top_builddir)' \
		PIM_SLAPD='$(SLAPD)' bash $(top_srcdir)/tests/bench/run.sh
.PHONY: bench
PIM_INTEGRATION_TESTS += tests/integration/authz-matrix.sh
PIM_INTEGRATION_TESTS += tests/integration/crash.sh
PIM_INTEGRATION_TESTS += tests/integration/workflow.sh
PIM_INTEGRATION_TESTS += tests/integration/schedule.sh
PIM_INTEGRATION_TESTS += tests/integration/member-writes.sh
PIM_INTEGRATION_TESTS += tests/integration/audit.sh
PIM_INTEGRATION_TESTS += tests/integration/mfa.sh
PIM_INTEGRATION_TESTS += tests/integration/assignments.sh
PIM_INTEGRATION_TESTS += tests/integration/own-writes.sh
PIM_INTEGRATION_TESTS += tests/integration/directory.sh
PIM_INTEGRATION_TESTS += tests/integration/hardening.sh
PIM_INTEGRATION_TESTS += tests/integration/readtime.sh
PIM_INTEGRATION_TESTS += tests/integration/replica.sh
PIM_INTEGRATION_TESTS += tests/integration/multiprovider.sh
PIM_INTEGRATION_TESTS += tests/integration/delta-mpr.sh
PIM_INTEGRATION_TESTS += tests/integration/review.sh
PIM_INTEGRATION_TESTS += tests/integration/nested-groups.sh
PIM_INTEGRATION_TESTS += tests/integration/role-kinds.sh
PIM_INTEGRATION_TESTS += tests/integration/listings.sh
PIM_INTEGRATION_TESTS += tests/integration/group-eligibility.sh
PIM_INTEGRATION_TESTS += tests/integration/emergency.sh
PIM_INTEGRATION_TESTS += tests/integration/eligibility-requests.sh
PIM_INTEGRATION_TESTS += tests/integration/rfc2307bis.sh
PIM_INTEGRATION_TESTS += tests/integration/monitor.sh
PIM_INTEGRATION_TESTS += tests/integration/pimctl-options.sh
PIM_INTEGRATION_TESTS += tests/integration/mfa-qr.sh
PIM_INTEGRATION_TESTS += tests/integration/completion.sh
PIM_INTEGRATION_TESTS += tests/integration/ldapexop.sh
PIM_INTEGRATION_TESTS += tests/integration/notify.sh
PIM_INTEGRATION_TESTS += tests/integration/notify-roles.sh
EXTRA_DIST += tests/integration/notify.py
