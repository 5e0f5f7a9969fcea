#!/usr/bin/python3
"""notify.py - the sinks and the verdicts of tests/integration/notify.sh.

  notify.py sink DIR SMTP_PORT HTTP_PORT
      an SMTP server (aiosmtpd) that saves each message as DIR/mail/N.eml
      (and its envelope recipients as N.rcpt), and an HTTP server that
      appends each POST body as one line to DIR/webhook.jsonl; both on
      127.0.0.1.  Prints "ready" once both listen; runs until killed.
  notify.py count DIR
      "MAILS HOOKS": how many of each arrived
  notify.py verify DIR AUDIT_LDIF FROM_SEQ EXPECTED
      the deliveries of the records after FROM_SEQ against EXPECTED (one
      line per notification, in sequence order: EVENT|ROLE_CN|RECIPIENTS,
      recipients sorted and comma-separated); prints PASS/FAIL lines
"""
import email
import email.policy
import json
import os
import sys
import threading
from email.utils import getaddresses
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def sink(d, smtp_port, http_port):
    from aiosmtpd.controller import Controller

    os.makedirs(os.path.join(d, "mail"), exist_ok=True)
    lock = threading.Lock()
    counter = [0]

    class Mail:
        async def handle_DATA(self, server, session, envelope):
            with lock:
                counter[0] += 1
                n = counter[0]
            base = os.path.join(d, "mail", "%04d" % n)
            with open(base + ".rcpt", "w") as f:
                json.dump(envelope.rcpt_tos, f)
            with open(base + ".eml", "wb") as f:
                f.write(envelope.original_content or envelope.content)
            return "250 OK"

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                with open(os.path.join(d, "webhook.jsonl"), "ab") as f:
                    f.write(body.replace(b"\n", b" ") + b"\n")
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", http_port), Hook)
    ctl = Controller(Mail(), hostname="127.0.0.1", port=smtp_port)
    ctl.start()
    print("ready", flush=True)
    httpd.serve_forever()


def mails(d):
    """[(seq, event, [To: addresses], [envelope recipients])]"""
    out = []
    md = os.path.join(d, "mail")
    for name in sorted(os.listdir(md)) if os.path.isdir(md) else []:
        if not name.endswith(".eml"):
            continue
        with open(os.path.join(md, name), "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        with open(os.path.join(md, name[:-4] + ".rcpt")) as f:
            rcpt = json.load(f)
        to = [a.lower() for _, a in getaddresses(msg.get_all("To", []))]
        out.append((int(msg["X-PIM-Seq"]), str(msg["X-PIM-Event"]), to,
                    [r.lower() for r in rcpt], str(msg["Subject"])))
    return out


def hooks(d):
    p = os.path.join(d, "webhook.jsonl")
    if not os.path.exists(p):
        return []
    with open(p) as f:
        return [json.loads(l) for l in f if l.strip()]


def audit(ldif):
    """{seq: {attr: value}} from ldapsearch -LLL -o ldif-wrap=no"""
    recs = {}
    for block in open(ldif).read().split("\n\n"):
        r = {}
        for line in block.splitlines():
            if ": " in line and not line.startswith(" "):
                k, v = line.split(": ", 1)
                r.setdefault(k.lower(), v)
        if "pimauditseq" in r:
            recs[int(r["pimauditseq"])] = r
    return recs


def cn(dn):
    first = dn.split(",", 1)[0]
    return first.split("=", 1)[1] if "=" in first else dn


def verify(d, ldif, from_seq, expected_file):
    recs = audit(ldif)
    ms = [m for m in mails(d) if m[0] > from_seq]
    hs = [h for h in hooks(d) if h["seq"] > from_seq]
    # the trail's DNs are normalized (lower case)
    expected = [l.strip().lower() for l in open(expected_file) if l.strip()]
    res = []

    def check(name, ok, detail=""):
        res.append(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail))

    mseqs = [m[0] for m in ms]
    hseqs = [h["seq"] for h in hs]
    check("no mail delivered twice", len(mseqs) == len(set(mseqs)),
          "seqs %s" % sorted(mseqs))
    check("no webhook delivered twice", len(hseqs) == len(set(hseqs)),
          "seqs %s" % sorted(hseqs))
    check("every mailed event also reached the webhook",
          sorted(set(mseqs)) == sorted(set(hseqs)),
          "mail %s, webhook %s" % (sorted(set(mseqs)), sorted(set(hseqs))))
    check("To: is the envelope", all(sorted(m[2]) == sorted(m[3]) for m in ms),
          str([(m[0], m[2], m[3]) for m in ms if sorted(m[2]) != sorted(m[3])]))
    honest = all(m[0] in recs and recs[m[0]].get("pimauditevent") == m[1] for m in ms)
    check("each mail names its audit record's event", honest,
          str([(m[0], m[1], recs.get(m[0], {}).get("pimauditevent")) for m in ms]))
    # the test's subject template: "[PIM] {event} {role_name} ({principal_name})"
    def subject(seq):
        r = recs.get(seq, {})
        return "[PIM] %s %s (%s)" % (r.get("pimauditevent"), cn(r.get("pimauditrole", "")),
                                      cn(r.get("pimauditprincipal", "")))
    bad = [(m[0], m[4], subject(m[0])) for m in ms if m[4] != subject(m[0])]
    check("each subject is its template with the record's fields", not bad, str(bad))
    hook_ok = all(h["seq"] in recs and recs[h["seq"]].get("pimauditevent") == h["event"]
                  and h.get("role", "") == recs[h["seq"]].get("pimauditrole", "")
                  and isinstance(h.get("text"), str) and h["text"] for h in hs)
    check("each webhook body carries text and its record's fields", hook_ok, str(hs))
    got = []
    for m in sorted(ms):
        r = recs.get(m[0], {})
        got.append(("%s|%s|%s" % (m[1], cn(r.get("pimauditrole", "")),
                                   ",".join(sorted(m[2])))).lower())
    check("each event reached exactly its recipients, in order", got == expected,
          "\n#   got:      " + "\n#             ".join(got) +
          "\n#   expected: " + "\n#             ".join(expected))
    hgot = []
    for h in sorted(hs, key=lambda h: h["seq"]):
        hgot.append(("%s|%s|%s" % (h["event"], cn(h.get("role", "")),
                                   ",".join(sorted(h["recipients"])))).lower())
    check("the webhooks say the same", hgot == expected,
          "\n#   got: " + "\n#        ".join(hgot))
    print("\n".join(res))


def main():
    cmd = sys.argv[1]
    if cmd == "sink":
        sink(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "count":
        print(len(mails(sys.argv[2])), len(hooks(sys.argv[2])))
    elif cmd == "seqs":
        # the sequence numbers that were mailed, one per line
        for m in mails(sys.argv[2]):
            print(m[0])
    elif cmd == "verify":
        verify(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])


if __name__ == "__main__":
    main()
