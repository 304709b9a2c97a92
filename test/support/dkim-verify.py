# An independent DKIM verifier for the tests (issue 23): dkimpy, from Debian's python3-dkim.
# Reads a message on stdin; argv[1] is the record's name, argv[2] its TXT value, as
# `dunning dkim check` prints them. DNS is this function: no network is asked.
# Prints one JSON line: {"verified": bool, "signed": [header names the signature covers]}.
import json
import sys

import dkim

name, value = sys.argv[1], sys.argv[2]
message = sys.stdin.buffer.read()


def dns(qname, timeout=5):
    asked = qname.decode() if isinstance(qname, bytes) else qname
    return value.encode() if asked.rstrip('.').lower() == name.lower() else None


signer = dkim.DKIM(message)
verified = signer.verify(dnsfunc=dns)
signed = []
for header_name, header_value in signer.headers:
    if header_name.lower() == b'dkim-signature':
        tags = dkim.util.parse_tag_value(header_value)
        signed = [h.strip().decode().lower() for h in tags[b'h'].split(b':')]
print(json.dumps({"verified": bool(verified), "signed": signed}))
