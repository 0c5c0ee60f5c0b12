#!/usr/bin/env python3
"""Write adversarial messages for the per-message latency measurement.

Each message stresses one dimension of a mail filter:

  big-attachment.eml    a 10 MB base64 attachment beside a short text part
  many-headers.eml      5,000 header fields, 1,000 of them Received
  deep-nesting.eml      multipart/mixed nested 500 levels deep
  long-html-line.eml    a 1 MB text/html body on one line, with 10,000 links
  long-subject.eml      a 64 KB Subject of near-misses for the spam words

The content comes from a seeded generator, so every run writes the same bytes.
Uses the Python standard library only.

Usage: gen_adversarial.py [--out DIR]
"""

from __future__ import annotations

import argparse
import base64
import pathlib
import random

BOUNDARY_PREFIX = "=_bench_boundary_"
COMMON_HEADERS = (
    "From: Adversary <adversary@example.org>\r\n"
    "To: victim@example.com\r\n"
    "Date: Mon, 2 Sep 2002 10:00:00 +0000\r\n"
    "Message-ID: <{name}@bench.example>\r\n"
    "MIME-Version: 1.0\r\n"
)


def big_attachment(rng: random.Random) -> bytes:
    payload = rng.randbytes(10 * 1024 * 1024)
    encoded = base64.encodebytes(payload).replace(b"\n", b"\r\n")
    boundary = BOUNDARY_PREFIX + "attach"
    head = (
        COMMON_HEADERS.format(name="big-attachment")
        + "Subject: quarterly figures attached\r\n"
        + f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
        + f"--{boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        + "Please find the figures attached. Click here for a free offer.\r\n"
        + f"--{boundary}\r\nContent-Type: application/octet-stream\r\n"
        + 'Content-Disposition: attachment; filename="figures.bin"\r\n'
        + "Content-Transfer-Encoding: base64\r\n\r\n"
    )
    return head.encode() + encoded + f"\r\n--{boundary}--\r\n".encode()


def many_headers(rng: random.Random) -> bytes:
    lines = [COMMON_HEADERS.format(name="many-headers"), "Subject: many headers\r\n"]
    for index in range(1000):
        octets = ".".join(str(rng.randint(1, 254)) for _ in range(4))
        lines.append(f"Received: from relay{index}.example.net ([{octets}]) by mx{index}.example.com\r\n")
    # 5 common fields, Subject, 1,000 Received, the fillers and Content-Type
    # add up to 5,000.
    for index in range(5000 - 5 - 1 - 1000 - 1):
        lines.append(f"X-Filler-{index}: value {rng.getrandbits(64):016x} free money offer\r\n")
    lines.append("Content-Type: text/plain\r\n\r\nA short body.\r\n")
    return "".join(lines).encode()


def deep_nesting(depth: int = 500) -> bytes:
    parts = [COMMON_HEADERS.format(name="deep-nesting"), "Subject: nested\r\n"]
    for level in range(depth):
        boundary = f"{BOUNDARY_PREFIX}{level}"
        parts.append(f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n--{boundary}\r\n')
    parts.append("Content-Type: text/plain\r\n\r\ninnermost text: cheap pills\r\n")
    for level in reversed(range(depth)):
        parts.append(f"--{BOUNDARY_PREFIX}{level}--\r\n")
    return "".join(parts).encode()


def long_html_line(rng: random.Random) -> bytes:
    pieces = []
    size = 0
    index = 0
    while size < 1024 * 1024:
        piece = (
            f'<p class="c{index % 7}">offer {rng.getrandbits(32):08x} '
            f'<a href="http://host{index}.example.biz/p?id={index}">click</a> &amp; save</p>'
        )
        pieces.append(piece)
        size += len(piece)
        index += 1
    head = (
        COMMON_HEADERS.format(name="long-html-line")
        + "Subject: one long line\r\n"
        + "Content-Type: text/html; charset=us-ascii\r\n\r\n"
    )
    return (head + "<html><body>" + "".join(pieces) + "</body></html>\r\n").encode()


def long_subject(rng: random.Random) -> bytes:
    words = ["fre", "mone", "offe", "chea", "viagr", "discoun", "winne"]
    subject_words = []
    length = 0
    while length < 64 * 1024:
        word = rng.choice(words) + "".join(rng.choice("0123456789") for _ in range(3))
        subject_words.append(word)
        length += len(word) + 1
    # Fold the header every 20 words, as RFC 5322 allows.
    folded = "\r\n ".join(" ".join(subject_words[i : i + 20]) for i in range(0, len(subject_words), 20))
    head = COMMON_HEADERS.format(name="long-subject") + f"Subject: {folded}\r\n"
    return (head + "Content-Type: text/plain\r\n\r\nbody\r\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("bench/out/adversarial"),
                        help="output directory (default bench/out/adversarial)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    messages = {
        "big-attachment.eml": big_attachment(rng),
        "many-headers.eml": many_headers(rng),
        "deep-nesting.eml": deep_nesting(),
        "long-html-line.eml": long_html_line(rng),
        "long-subject.eml": long_subject(rng),
    }
    for name, data in messages.items():
        (args.out / name).write_bytes(data)
        print(f"{args.out / name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
