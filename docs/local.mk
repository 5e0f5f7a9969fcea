# docs/local.mk - man pages and guides.
dist_man_MANS = docs/slapo-pim.5 docs/pimctl.1 docs/pimctl-notify.1
EXTRA_DIST += docs/protocol.md docs/admin-guide.md

# bash completion: installed under the name of the command it completes
# (bash-completion loads completions/pimctl on the first "pimctl <TAB>").
bashcompletiondir = $(datadir)/bash-completion/completions
EXTRA_DIST += docs/pimctl.bash-completion
install-data-local: install-bash-completion
uninstall-local: uninstall-bash-completion
install-bash-completion:
	$(MKDIR_P) '$(DESTDIR)$(bashcompletiondir)'
	$(INSTALL_DATA) '$(srcdir)/docs/pimctl.bash-completion' \
		'$(DESTDIR)$(bashcompletiondir)/pimctl'
uninstall-bash-completion:
	rm -f '$(DESTDIR)$(bashcompletiondir)/pimctl'
.PHONY: install-bash-completion uninstall-bash-completion
