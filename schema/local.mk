# schema/local.mk - pim.schema and pim.ldif, checked against the module.
schemadir = $(datadir)/slapo-pim/schema
dist_schema_DATA = schema/pim.schema schema/pim.ldif

# Prints the one definition (overlay/pim_schema_defs.h) in both formats;
# the drift test compares its output with the shipped files.
noinst_PROGRAMS += schema/gen_schema
schema_gen_schema_SOURCES = schema/gen_schema.c \
	overlay/pim_schema_defs.h overlay/pim_oids.h
schema_gen_schema_CPPFLAGS = -I$(top_srcdir)/overlay

TESTS += tests/unit/schema-drift.sh
EXTRA_DIST += tests/unit/schema-drift.sh
