#!/usr/bin/env python3
"""A real SMTP server for the tests: accepts every message on 127.0.0.1:PORT and writes
each one, as received, to DIR/<time>-<n>.eml (written aside, then renamed, so a reader
never sees half a message). Prints "ready" once it listens; runs until killed.

    python3 .ci/smtp_sink.py PORT DIR

Uses aiosmtpd (Debian's python3-aiosmtpd, which .ci/run installs).
"""
import itertools
import os
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count()

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{next(self.counter):06d}.eml"
        partial = os.path.join(self.directory, "." + name)
        with open(partial, "wb") as out:
            out.write(envelope.original_content or envelope.content)
        os.rename(partial, os.path.join(self.directory, name))
        return "250 OK"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
