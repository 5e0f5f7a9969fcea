#!/bin/bash
# "pimctl mfa enroll" draws the otpauth URI as a QR code: with --qr (or
# on a terminal) in UTF-8 half blocks, with --ascii in "##"; --no-qr and
# a standard output that is no terminal print the URI alone; the URI
# line is the same either way.  The drawing is read back into modules
# and compared with libqrencode's own matrix of the URI.
. "$(dirname "$0")/lib.sh"
[ -f /usr/lib/ldap/otp.la ] || { pim_log "SKIP: no otp.la"; exit 77; }
command -v python3 >/dev/null || { pim_log "SKIP: no python3"; exit 77; }
PIM_EXTRA_MODULES="otp.la"
pim_setup mfa-qr

URI_RE='^otpauth://totp/PIM:USER\?secret=[A-Z2-7]{32}&issuer=PIM&algorithm=SHA1&digits=6&period=30$'
uri_re() { printf '%s' "$URI_RE" | sed "s/USER/$1/"; }

# qr_matches FORM FILE: the drawing in FILE (after the URI line) is the
# QR code of that URI, as libqrencode makes it (version auto, level M)
qr_matches() {
	python3 - "$1" "$2" <<'PY'
import ctypes, sys
form, path = sys.argv[1], sys.argv[2]
lines = open(path, encoding="utf-8").read().split("\n")
uri = next(l for l in lines if l.startswith("otpauth://"))
art = [l for l in lines[lines.index(uri) + 1:] if l]
class QRcode(ctypes.Structure):
    _fields_ = [("version", ctypes.c_int), ("width", ctypes.c_int),
                ("data", ctypes.POINTER(ctypes.c_ubyte))]
lib = ctypes.CDLL("libqrencode.so.4")
lib.QRcode_encodeString8bit.restype = ctypes.POINTER(QRcode)
qr = lib.QRcode_encodeString8bit(uri.encode(), 0, 1).contents
w, q = qr.width, 2
want = [[qr.data[y * w + x] & 1 for x in range(w)] for y in range(w)]
dark = lambda m, x, y: 0 <= x < w and 0 <= y < w and m[y][x]
if form == "utf8":
    top = {"\u2588": 0, "\u2584": 1, "\u2580": 0, " ": 1}
    bot = {"\u2588": 0, "\u2584": 0, "\u2580": 1, " ": 1}
    rows = []
    for l in art:
        rows.append([top[c] for c in l]); rows.append([bot[c] for c in l])
else:
    rows = [[1 if l[i:i + 2] == "##" else 0 for i in range(0, len(l), 2)] for l in art]
got = lambda x, y: rows[y + q][x + q] if y + q < len(rows) else 0
bad = [(x, y) for y in range(-q, w + q) for x in range(-q, w + q)
       if got(x, y) != dark(want, x, y)]
if bad:
    sys.exit("%d modules differ, first %s (width %d, %d rows drawn)" % (len(bad), bad[0], w, len(rows)))
PY
}

for u in qr1 qr2 qr3 qr4 qr5; do add_user "$u" || fail "cannot add $u"; done

# --- --qr: the URI line, then half blocks ----------------------------------
as manager pimctl mfa enroll qr1 --qr >"$T/qr1.out" 2>"$T/qr1.err"
check "enroll --qr" 0 $?
OUT=$(cat "$T/qr1.out")
expect_out "$(uri_re qr1)" "the URI line is unchanged"
expect_out "^Give this URI" "the line before it too"
expect_out "[▀▄█]" "the output has half blocks"
qr_matches utf8 "$T/qr1.out" 2>"$T/py.err" && pass "the blocks are the URI's QR code" ||
	{ fail "the blocks: $(cat "$T/py.err")"; sed 's/^/#   /' "$T/qr1.out"; }
check "the URI is the output's only otpauth line" 1 "$(grep -c otpauth "$T/qr1.out")"

# --- --ascii ------------------------------------------------------------------
as manager pimctl mfa enroll qr2 --qr --ascii >"$T/qr2.out" 2>&1
check "enroll --qr --ascii" 0 $?
OUT=$(cat "$T/qr2.out")
expect_out "$(uri_re qr2)" "the URI line is unchanged (--ascii)"
expect_out "^ *####" "the output has ## modules"
printf '%s\n' "$OUT" | grep -q "[▀▄█]" && fail "--ascii drew blocks" || pass "--ascii draws no blocks"
qr_matches ascii "$T/qr2.out" 2>"$T/py.err" && pass "the ## are the URI's QR code" ||
	fail "the ##: $(cat "$T/py.err")"

# --- not a terminal, and --no-qr: the URI alone ---------------------------------
as manager pimctl mfa enroll qr3 >"$T/qr3.out" 2>&1
OUT=$(cat "$T/qr3.out")
expect_out "$(uri_re qr3)" "into a file: the URI line"
[ "$(sed -n '$p' "$T/qr3.out" | grep -c '^otpauth://')" = 1 ] &&
	pass "into a file: the URI is the last line, no QR code" || fail "into a file: $(cat "$T/qr3.out")"

# on a terminal (script(1) gives it one): the code unless --no-qr
if command -v script >/dev/null; then
	script -qec "$PIMCTL -b $BASE -x -H $URI -D $MANAGER -w $MANAGER_PW mfa enroll qr4" /dev/null >"$T/qr4.out" 2>&1
	OUT=$(tr -d '\r' < "$T/qr4.out")
	expect_out "$(uri_re qr4)" "on a terminal: the URI line"
	expect_out "[▀▄█]" "on a terminal: the QR code without --qr"
	script -qec "$PIMCTL -b $BASE -x -H $URI -D $MANAGER -w $MANAGER_PW mfa enroll qr5 --no-qr" /dev/null >"$T/qr5.out" 2>&1
	OUT=$(tr -d '\r' < "$T/qr5.out")
	expect_out "$(uri_re qr5)" "on a terminal with --no-qr: the URI line"
	printf '%s\n' "$OUT" | grep -q "[▀▄█]" && fail "--no-qr drew a code on a terminal" ||
		pass "on a terminal with --no-qr: no QR code"
else
	skip "no script(1): the terminal cases"
fi

# --- usage -------------------------------------------------------------------
expect_rc 64 "--qr with --no-qr" as manager pimctl mfa enroll qr5 --qr --no-qr
expect_out "exclude each other" "says why"
expect_rc 64 "--qr is for enroll" as manager pimctl mfa status qr1 --qr
expect_out "are for enroll" "says why"

pim_done
