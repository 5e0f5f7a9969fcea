# tools/local.mk - pimctl, the command-line client.
bin_PROGRAMS = tools/pimctl
tools_pimctl_SOURCES = \
	tools/pimctl.c tools/pimctl.h \
	tools/pimctl_conn.c \
	tools/pimctl_names.c \
	tools/pimctl_output.c \
	tools/pimctl_entry.c \
	tools/pimctl_table.c \
	tools/pimctl_exop.c \
	tools/pimctl_otp.c \
	tools/pimctl_roles.c \
	tools/pimctl_assignments.c \
	tools/pimctl_activate.c \
	tools/pimctl_extend.c \
	tools/pimctl_requests.c \
	tools/pimctl_decide.c \
	tools/pimctl_assign.c \
	tools/pimctl_policy.c \
	tools/pimctl_policy_set.c \
	tools/pimctl_trail.c tools/pimctl_trail.h \
	tools/pimctl_audit.c tools/pimctl_audit_out.c \
	tools/pimctl_alerts.c \
	tools/pimctl_watch.c \
	tools/pimctl_notify.c tools/pimctl_notify.h \
	tools/pimctl_notify_conf.c \
	tools/pimctl_notify_state.c \
	tools/pimctl_notify_role.c \
	tools/pimctl_notify_route.c \
	tools/pimctl_notify_text.c \
	tools/pimctl_notify_send.c \
	overlay/pim_chain.c overlay/pim_chain.h \
	tools/pimctl_mfa.c tools/pimctl_qr.c \
	tools/pimctl_review.c tools/pimctl_review_list.c \
	overlay/pim_codec.c overlay/pim_codec.h \
	overlay/pim_time.c overlay/pim_time.h \
	overlay/pim_review_rules.c overlay/pim_review_rules.h \
	overlay/pim_event_kinds.c overlay/pim_event_kinds.h \
	overlay/pim_state.c overlay/pim_state.h \
	overlay/pim_oids.h
tools_pimctl_CPPFLAGS = -I$(top_srcdir)/overlay -DLDAP_DEPRECATED=0 $(NETTLE_CFLAGS) $(JSONC_CFLAGS) \
	$(QRENCODE_CFLAGS) $(CURL_CFLAGS)
tools_pimctl_LDADD = -lldap -llber $(NETTLE_LIBS) $(JSONC_LIBS) $(QRENCODE_LIBS) $(CURL_LIBS)
