# schema/local.mk - pim.schema and pim.ldif, checked against the module.
schemadir = $(datadir)/slapo-pim/schema
dist_schema_DATA = schema/pim.schema schema/pim.ldif
