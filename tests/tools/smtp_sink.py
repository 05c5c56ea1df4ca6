#!/usr/bin/env python3
"""A real SMTP server on loopback (aiosmtpd) that stores every message it accepts.

Usage: smtp_sink.py PORT OUT_DIR
Writes OUT_DIR/NNN.eml per message (the DATA as received) and OUT_DIR/NNN.json with the
envelope (mail_from, rcpt_tos). Prints "ready" on standard output once it listens, and stops by
itself after 120 seconds so a failed test never leaves it running.
"""
import json
import os
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out):
        self.out = out
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.out, f"{n:03d}")
        with open(base + ".eml.part", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        os.rename(base + ".eml.part", base + ".eml")
        return "250 Message accepted for delivery"


def main():
    port = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    controller = Controller(Sink(out), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    deadline = time.time() + 120
    try:
        while time.time() < deadline:
            time.sleep(0.2)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
