# invariant.py LDIF NOW ROLE PLACEHOLDER: the membership invariant of
# DESIGN.md, checked on a dump of the directory (lib.sh: invariant_dump)
# for EVERY pimRole entry in it.  A membership value PIM manages -- a
# role's member (or uniqueMember) value, its pimManagedMember value, and
# a user's memberOf value naming a PIM role -- exists if and only if an
# activation of that user for that role is active.
#
# One line per violation,
#   F<TAB>key<TAB>detail  a live activation lacks a value (forward)
#   R<TAB>key<TAB>detail  a value no active activation backs (reverse)
#   S<TAB>key<TAB>detail  an activation still active a second after its end
# and a last line "stats ..." (summed over the roles).  An activation is
# live when it is active and start <= now < end - 1 (a second of margin:
# the dump is not one atomic read); a permanent one (no pimEndTime) never
# ends.  A value is backed when an active activation of that user and
# role ends after now - 1 (removal may lag expiry by a second).
#
# ROLE names the role the caller cares about most (crash.sh's): its
# findings are worded as they always were; those of any other role name
# the role in their key and detail.  ROLE may be empty.  PLACEHOLDER is
# the member value PIM puts in a role it leaves empty (pim-placeholder,
# by default the container's DN): it is no membership.
import base64, calendar, sys, time

ldif, now = sys.argv[1], float(sys.argv[2])
role = sys.argv[3] if len(sys.argv) > 3 else ""
placeholder = sys.argv[4] if len(sys.argv) > 4 else ""
LAG = 1.0
INF = float("inf")


def norm(dn):
    return ",".join(p.strip() for p in dn.lower().split(","))


def gt(v):
    return calendar.timegm(time.strptime(v[:14], "%Y%m%d%H%M%S"))


def first(e, attr):
    v = e.get(attr)
    return v[0] if v else None


entries, cur = [], None
with open(ldif, encoding="utf-8") as f:
    for line in f:
        line = line.rstrip("\n")
        if not line:
            if cur:
                entries.append(cur)
            cur = None
            continue
        if line.startswith("#"):
            continue
        k, _, v = line.partition(":")
        v = base64.b64decode(v[1:].strip()).decode() if v.startswith(":") else v.strip()
        cur = cur or {}
        cur.setdefault(k.lower(), []).append(v)
if cur:
    entries.append(cur)

nrole, nplaceholder = norm(role) if role else "", norm(placeholder) if placeholder else ""

# the roles: every pimRole entry, with its member and pimManagedMember values
roles = {}
for e in entries:
    ocs = {o.lower() for o in e.get("objectclass", [])}
    if "pimrole" in ocs:
        dn = norm(e["dn"][0])
        roles[dn] = {
            "name": e["dn"][0],
            "members": {norm(v) for v in e.get("member", []) + e.get("uniquemember", [])}
                       - ({nplaceholder} if nplaceholder else set()),
            "managed": {norm(v) for v in e.get("pimmanagedmember", [])},
            "memberOf": set(), "acts": [],
        }

for e in entries:
    dn = norm(e["dn"][0])
    ocs = {o.lower() for o in e.get("objectclass", [])}
    if "pimactivation" in ocs:
        r = roles.get(norm(first(e, "pimroledn") or ""))
        if r is None or not first(e, "pimprincipal"):
            continue
        start, end = first(e, "pimstarttime"), first(e, "pimendtime")
        r["acts"].append({"dn": dn, "p": norm(first(e, "pimprincipal")),
                          "state": (first(e, "pimstate") or "").lower(),
                          "start": gt(start) if start else None,
                          "end": gt(end) if end else INF})
    for v in e.get("memberof", []):
        r = roles.get(norm(v))
        if r is not None:
            r["memberOf"].add(dn)

out = []
n = {"records": 0, "active": 0, "live": 0, "members": 0, "managed": 0, "memberOf": 0}
for rdn in sorted(roles):
    r = roles[rdn]
    main = rdn == nrole
    on = "" if main else " on " + r["name"]
    acts = r["acts"]
    live = [a for a in acts if a["state"] == "active" and a["start"] is not None
            and a["start"] <= now < a["end"] - LAG]
    for a in live:
        for what in ("member", "pimManagedMember", "memberOf"):
            have = {"member": r["members"], "pimManagedMember": r["managed"],
                    "memberOf": r["memberOf"]}[what]
            if a["p"] not in have:
                out.append("F\t%s %s%s\tactivation %s ends in %.1fs, but %s has no %s value%s"
                           % (a["p"], what, on, a["dn"], a["end"] - now, a["p"], what, on))
    backed = {a["p"] for a in acts if a["state"] == "active" and a["end"] > now - LAG}
    # static values (members PIM did not add) and the memberOf values
    # slapo-memberof gives them and the placeholder are not PIM's
    static = r["members"] - r["managed"]
    for what, have in (("pimManagedMember", r["managed"]),
                       ("member", r["members"] & r["managed"]),
                       ("memberOf", r["memberOf"] - static - {nplaceholder})):
        for p in sorted(have - backed):
            out.append("R\t%s %s%s\t%s value of %s%s, and no active activation backs it"
                       % (p, what, on, what, p, on))
    for a in acts:
        if a["state"] == "active" and a["end"] <= now - LAG:
            out.append("S\t%s\tstill active %.1fs after its end%s" % (a["dn"], now - a["end"], on))
    n["records"] += len(acts)
    n["active"] += sum(a["state"] == "active" for a in acts)
    n["live"] += len(live)
    n["members"] += len(r["members"])
    n["managed"] += len(r["managed"])
    n["memberOf"] += len(r["memberOf"])

for line in out:
    print(line)
print("stats records=%d active=%d live=%d members=%d managed=%d memberOf=%d" % (
    n["records"], n["active"], n["live"], n["members"], n["managed"], n["memberOf"]))
