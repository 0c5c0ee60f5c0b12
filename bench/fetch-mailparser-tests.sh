#!/usr/bin/env bash
# Copy mail-parser's own test messages (normal, legacy and malformed mail) out
# of the cargo registry into bench/data/mailparser/{rfc,malformed,thirdparty,legacy}/.
#
# The crate package ships them under resources/eml/ (mail-parser 0.11.9 has
# 107 .eml files there), next to .json files with the expected parse. Cargo
# unpacks the package into ~/.cargo/registry/src/*/mail-parser-0.11.*/ on the
# first build or `cargo fetch`. `cargo metadata` names the exact version that
# Cargo.lock pins, so this script does not guess the path.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$bench_dir")"
target_dir="$bench_dir/data/mailparser"

if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo not found; it is needed to locate the mail-parser package." >&2
    exit 1
fi

(cd "$repo_dir" && cargo fetch --quiet)
manifest="$(cd "$repo_dir" && cargo metadata --format-version 1 |
    python3 -c 'import json, sys
packages = json.load(sys.stdin)["packages"]
print(next(p["manifest_path"] for p in packages if p["name"] == "mail-parser"))')"
source_dir="$(dirname "$manifest")/resources/eml"
if [[ ! -d "$source_dir" ]]; then
    echo "error: $source_dir not found; this mail-parser package ships no test messages." >&2
    exit 1
fi

rm -rf "$target_dir"
total=0
for group in rfc malformed thirdparty legacy; do
    mkdir -p "$target_dir/$group"
    if [[ -d "$source_dir/$group" ]]; then
        find "$source_dir/$group" -maxdepth 1 -type f -name '*.eml' -exec cp {} "$target_dir/$group/" \;
    fi
    count=$(find "$target_dir/$group" -type f -name '*.eml' | wc -l)
    echo "$group: $count"
    total=$((total + count))
done
echo "total: $total (in $target_dir)"
if [[ $total -eq 0 ]]; then
    echo "error: no .eml files found under $source_dir" >&2
    exit 1
fi
