# tools/local.mk - pimctl, the command-line client.
bin_PROGRAMS = tools/pimctl
tools_pimctl_SOURCES = \
	tools/pimctl.c tools/pimctl.h \
	overlay/pim_codec.c overlay/pim_codec.h \
	overlay/pim_time.c overlay/pim_time.h
tools_pimctl_CPPFLAGS = -I$(top_srcdir)/overlay -DLDAP_DEPRECATED=0
tools_pimctl_LDADD = -lldap -llber
