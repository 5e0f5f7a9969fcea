# gen-ldif.awk - the benchmark's directory at scale, as LDIF for slapadd.
#
#   awk -v part=base|act|dds -v n=N -v rsize=S -v start=GENTIME -v end=GENTIME \
#       [-v ttl=SECONDS] -f gen-ldif.awk
#
# n users u0000000.., each eligible for one role and holding one active
# activation of it.  Users fill roles of rsize members each ("bench role
# 0", "bench role 1", ...); "bench plain group" (not a PIM role) has the
# same members as role 0, for the plain-modify baseline.
#
# part=base writes what does not depend on the activations' end time:
# users (with memberOf), roles (member + pimManagedMember, as PIM would
# have written them), the plain group and the eligibility entries.
# part=act writes the pimActivation entries (state active, ending at
# end), so that a second slapadd can fix their end time late, just
# before slapd starts.  With active=0, part=base writes the same users
# and eligibility but no membership (roles hold only the placeholder):
# the same directory with no activation, for the memory baseline.
#
# DNs are written in normalized form, as the overlay stores them.

function user(i) { return sprintf( "uid=u%07d,ou=people,%s", i, base ) }
function role(r) { return sprintf( "cn=bench role %d,ou=roles,%s", r, base ) }

function group(dn, cn, pim, r,    i, lo, hi) {
	print "dn: " dn
	print "objectClass: groupOfNames"
	if ( pim ) {
		print "objectClass: pimRole"
		print "pimMaxDuration: 8h"
	}
	print "cn: " cn
	lo = r * rsize; hi = lo + rsize
	if ( hi > n ) hi = n
	if ( !active || lo >= hi )
		print "member: " container
	if ( !active )
		hi = lo
	# all values of one attribute together: slapadd keeps a type that
	# reappears later in an entry as a second, separate attribute
	for ( i = lo; i < hi; i++ )
		print "member: " user( i )
	for ( i = lo; pim && i < hi; i++ )
		print "pimManagedMember: " user( i )
	print ""
}

function base_part(    i, r, nroles) {
	nroles = n > 0 ? int( ( n + rsize - 1 ) / rsize ) : 1
	for ( r = 0; r < nroles; r++ )
		group( role( r ), "bench role " r, 1, r )
	group( "cn=bench plain group,ou=roles," base, "bench plain group", 0, 0 )
	for ( i = 0; i < n; i++ ) {
		printf "dn: %s\nobjectClass: inetOrgPerson\n", user( i )
		printf "uid: u%07d\ncn: u%07d\nsn: bench\n", i, i
		if ( active )
			printf "memberOf: %s\n", role( int( i / rsize ) )
		printf "\n"
		printf "dn: pimId=e%07d,%s\nobjectClass: pimEligibility\n", i, container
		printf "pimId: e%07d\npimPrincipal: %s\n", i, user( i )
		printf "pimRoleDN: %s\npimStartTime: %s\n", role( int( i / rsize ) ), start
		printf "pimAssignedBy: uid=admin,ou=people,%s\n\n", base
	}
}

function act_part(    i) {
	for ( i = 0; i < n; i++ ) {
		# UUID-shaped, as PIM names activations (the timer keeps such
		# an entry's DN as 16 bytes)
		printf "dn: pimId=a%07d-0000-1000-8000-000000000000,%s\nobjectClass: pimActivation\n", i, container
		printf "pimId: a%07d-0000-1000-8000-000000000000\npimPrincipal: %s\n", i, user( i )
		printf "pimRoleDN: %s\npimState: active\n", role( int( i / rsize ) )
		printf "pimStartTime: %s\npimEndTime: %s\n", start, end
		printf "pimJustification: benchmark load\n"
		printf "pimEligibilityRef: pimId=e%07d,%s\n\n", i, container
	}
}

# part=dds: n dynamic objects (RFC 2589) under ou=dynamic for slapo-dds,
# the stock mechanism that expires entries, all expiring at end (stored
# as dds keeps it, entryExpireTimestamp; entryTtl is what it would show).
function dds_part(    i) {
	printf "dn: ou=dynamic,%s\nobjectClass: organizationalUnit\nou: dynamic\n\n", base
	for ( i = 0; i < n; i++ ) {
		printf "dn: cn=d%07d,ou=dynamic,%s\n", i, base
		printf "objectClass: device\nobjectClass: dynamicObject\ncn: d%07d\n", i
		printf "entryTtl: %d\nentryExpireTimestamp: %s\n\n", ttl, end
	}
}

BEGIN {
	base = "dc=example,dc=com"
	container = "cn=pim," base
	if ( rsize < 1 ) rsize = 1000
	if ( active == "" ) active = 1
	if ( part == "base" )
		base_part()
	else if ( part == "dds" )
		dds_part()
	else
		act_part()
}
