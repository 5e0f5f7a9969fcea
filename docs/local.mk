# docs/local.mk - man pages and guides.
dist_man_MANS = docs/slapo-pim.5 docs/pimctl.1
EXTRA_DIST += docs/protocol.md docs/admin-guide.md
