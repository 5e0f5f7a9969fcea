# overlay/local.mk - the slapd module pim.la.

# Pure logic, shared with pimctl and the unit tests; no slapd dependency.
PIM_PURE_SOURCES = \
	overlay/pim_codec.c overlay/pim_codec.h \
	overlay/pim_time.c overlay/pim_time.h \
	overlay/pim_policy.c overlay/pim_policy.h overlay/pim_policy_attrs.h \
	overlay/pim_state.c overlay/pim_state.h \
	overlay/pim_event_kinds.c overlay/pim_event_kinds.h \
	overlay/pim_totp.c overlay/pim_totp.h \
	overlay/pim_review_rules.c overlay/pim_review_rules.h \
	overlay/pim_version.c overlay/pim_version.h \
	overlay/pim_oids.h

module_LTLIBRARIES = overlay/pim.la
overlay_pim_la_SOURCES = $(PIM_PURE_SOURCES) \
	overlay/pim.h \
	overlay/pim_init.c \
	overlay/pim_schema.c overlay/pim_schema_defs.h \
	overlay/pim_config.c \
	overlay/pim_internal.c \
	overlay/pim_entry.c \
	overlay/pim_filter.c \
	overlay/pim_modlist.c \
	overlay/pim_role.c \
	overlay/pim_authz.c \
	overlay/pim_kind.c \
	overlay/pim_member.c \
	overlay/pim_activation_new.c \
	overlay/pim_through.c \
	overlay/pim_elig_request.c \
	overlay/pim_activation_life.c \
	overlay/pim_expire.c \
	overlay/pim_approval.c \
	overlay/pim_extend.c \
	overlay/pim_door2_actions.c \
	overlay/pim_controls.c \
	overlay/pim_privacy.c \
	overlay/pim_follow.c \
	overlay/pim_window.c \
	overlay/pim_readtime.c \
	overlay/pim_event.c \
	overlay/pim_chain.c overlay/pim_chain.h \
	overlay/pim_audit.c overlay/pim_audit.h \
	overlay/pim_audit_alert.c \
	overlay/pim_audit_timer.c \
	overlay/pim_audit_flood.c \
	overlay/pim_mfa.c \
	overlay/pim_eligibility.c \
	overlay/pim_timer.c overlay/pim_timer_key.h \
	overlay/pim_reconcile.c \
	overlay/pim_monitor.c \
	overlay/pim_door1.c \
	overlay/pim_door2.c overlay/pim_door2.h \
	overlay/pim_door2_attrs.c \
	overlay/pim_door2_after.c \
	overlay/pim_door2_fixup.c \
	overlay/pim_review.c overlay/pim_review.h \
	overlay/pim_review_facts.c \
	overlay/pim_review_open.c \
	overlay/pim_review_close.c \
	overlay/pim_review_decide.c \
	overlay/pim_review_door.c
overlay_pim_la_CPPFLAGS = $(OPENLDAP_CPPFLAGS) -DSLAPD_OVER_PIM=SLAPD_MOD_DYNAMIC \
	-DPIM_SLAPD_VERSION='"$(OPENLDAP_VERSION)"'
overlay_pim_la_CFLAGS = $(PIM_WARN_CFLAGS) $(SANITIZER_CFLAGS)
overlay_pim_la_LDFLAGS = $(SANITIZER_CFLAGS) -module -avoid-version -shared \
	-export-symbols-regex '^init_module$$'
overlay_pim_la_CPPFLAGS += $(NETTLE_CFLAGS)
overlay_pim_la_LIBADD = -lldap -llber $(NETTLE_LIBS)
