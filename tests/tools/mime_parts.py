#!/usr/bin/env python3
"""Lists an RFC 5322 message's headers and attachments as JSON, with Python's own e-mail parser
(independent of the Rust code that wrote it).

Usage: mime_parts.py FILE.eml...   -> one JSON object per file on standard output
"""
import email
import email.policy
import hashlib
import json
import sys


def describe(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    defects = [type(d).__name__ for d in msg.defects]
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            defects += [type(d).__name__ for d in part.defects]
            continue
        data = part.get_payload(decode=True) or b""
        parts.append({
            "content_type": part.get_content_type(),
            "filename": part.get_filename(),
            "disposition": part.get_content_disposition(),
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "text": data.decode("utf-8", "replace") if part.get_content_maintype() == "text" and not part.get_filename() else None,
        })
    return {
        "file": path,
        "from": str(msg["From"]),
        "to": str(msg["To"]),
        "subject": str(msg["Subject"]),
        "date": str(msg["Date"]),
        "message_id": str(msg["Message-ID"]),
        "mime_version": str(msg["MIME-Version"]),
        "content_type": msg.get_content_type(),
        "defects": defects,
        "parts": parts,
    }


for p in sys.argv[1:]:
    print(json.dumps(describe(p)))
