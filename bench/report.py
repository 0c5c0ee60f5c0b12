#!/usr/bin/env python3
"""Turn bench/out/results.json into docs/benchmarks.md and a scaling plot.

Every number on the page comes from the results file, and the page states
for each aim whether the run met it. The plot of cost per message against
rule count is a PNG drawn with matplotlib when it is installed, otherwise an
SVG written here. Uses the Python standard library, plus matplotlib if present.

Usage: report.py [--results FILE] [--page FILE] [--plot-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib

REPO_DIR = pathlib.Path(__file__).resolve().parent.parent
SCALING_SETS = ["gen-10", "gen-100", "gen-1000", "gen-10000"]


def number(value, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float) and math.isnan(value):
        return "n/a"
    return f"{value:,.{digits}f}"


def mib(kib) -> str:
    return "n/a" if not kib else f"{kib / 1024:,.0f} MiB"


def ratio(first, second) -> str:
    if not first or not second:
        return "n/a"
    return f"{first / second:,.1f}×"


def rule_count(results: dict, name: str) -> int | None:
    manifest = results.get("rule_sets", {}).get(name, {})
    return manifest.get("rules", manifest.get("kept"))


def one_line(text: str, limit: int = 300) -> str:
    """Collapse an error message to one table-safe line."""
    return " ".join(str(text).split()).replace("|", "\\|")[:limit]


def rate(entry: dict | None):
    if not entry or "error" in entry:
        return None
    return entry.get("messages_per_second")


# ---------------------------------------------------------------------------
# Plot
# ---------------------------------------------------------------------------


def scaling_points(results: dict) -> list[tuple[int, float]]:
    points = []
    for name in SCALING_SETS:
        entry = results.get("rulec_scaling", {}).get(name)
        count = rule_count(results, name)
        if entry and "error" not in entry and count:
            points.append((count, entry["cpu_microseconds_per_message_net"]))
    return points


def write_png(points, path: pathlib.Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as pyplot
    except ImportError:
        return False
    figure, axes = pyplot.subplots(figsize=(6, 3.6), dpi=120)
    axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label="rulec")
    axes.set_xscale("log")
    axes.set_ylim(bottom=0)
    axes.set_xlabel("rules in the set")
    axes.set_ylabel("CPU µs per message")
    axes.set_title("rulec cost per message against rule count")
    axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)
    return True


def write_svg(points, path: pathlib.Path) -> None:
    width, height, margin = 600, 360, 60
    xs = [math.log10(p[0]) for p in points]
    ys = [p[1] for p in points]
    x_low, x_high = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y_high = max(ys) * 1.15 if ys and max(ys) > 0 else 1

    def place(x, y):
        px = margin + (x - x_low) / (x_high - x_low) * (width - 2 * margin)
        py = height - margin - y / y_high * (height - 2 * margin)
        return px, py

    elements = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="20" text-anchor="middle">rulec cost per message against rule count</text>',
        f'<line x1="{margin}" y1="{height - margin}" x2="{width - margin}" y2="{height - margin}" stroke="black"/>',
        f'<line x1="{margin}" y1="{margin}" x2="{margin}" y2="{height - margin}" stroke="black"/>',
        f'<text x="{width / 2}" y="{height - 15}" text-anchor="middle">rules in the set (log scale)</text>',
        f'<text x="15" y="{height / 2}" transform="rotate(-90 15 {height / 2})" text-anchor="middle">CPU µs per message</text>',
    ]
    for step in range(5):
        value = y_high * step / 4
        _, py = place(x_low, value)
        elements.append(f'<text x="{margin - 5}" y="{py + 4}" text-anchor="end">{value:.0f}</text>')
        elements.append(f'<line x1="{margin}" y1="{py}" x2="{width - margin}" y2="{py}" stroke="#ddd"/>')
    coordinates = [place(x, y) for x, y in zip(xs, ys)]
    for (count, _), (px, _) in zip(points, coordinates):
        elements.append(f'<text x="{px}" y="{height - margin + 16}" text-anchor="middle">{count:,}</text>')
    path_text = " ".join(f"{px:.1f},{py:.1f}" for px, py in coordinates)
    elements.append(f'<polyline points="{path_text}" fill="none" stroke="#1f77b4" stroke-width="2"/>')
    for px, py in coordinates:
        elements.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="#1f77b4"/>')
    elements.append("</svg>")
    path.write_text("\n".join(elements) + "\n")


def write_plot(results: dict, plot_dir: pathlib.Path) -> str | None:
    points = scaling_points(results)
    if len(points) < 2:
        return None
    plot_dir.mkdir(parents=True, exist_ok=True)
    png = plot_dir / "scaling.png"
    if write_png(points, png):
        return png.name
    svg = plot_dir / "scaling.svg"
    write_svg(points, svg)
    return svg.name


# ---------------------------------------------------------------------------
# Page sections
# ---------------------------------------------------------------------------


def machine_section(results: dict) -> list[str]:
    machine = results["machine"]
    return [
        "## Machine and versions",
        "",
        "| item | value |",
        "| --- | --- |",
        f"| CPU | {machine['cpu_model']} |",
        f"| cores (`nproc`) | {machine['nproc']} |",
        f"| memory | {machine['memory_gib']} GiB |",
        f"| kernel | {machine['kernel']} |",
        f"| rulec | {machine['rulec_version']} (release build) |",
        f"| rustc | {machine['rustc_version']} |",
        f"| SpamAssassin | {machine['spamassassin_version']} |",
        f"| rspamd | {machine['rspamd_version']} |",
        f"| date (UTC) | {machine['date_utc']} |",
        f"| command | `{results.get('command') or 'bench/compare.sh'}` |",
        f"| network | {results.get('network') or 'not recorded'} |",
        "",
    ]


def corpus_section(results: dict) -> list[str]:
    corpus = results["corpus"]
    lines = [
        "## Data and rule sets",
        "",
        f"- Corpus: the SpamAssassin public corpus, {corpus['messages']:,} messages, "
        f"{corpus['bytes'] / 1e6:,.1f} MB ({corpus['bytes'] / corpus['messages'] / 1024:,.1f} KiB on average), "
        "fetched by `bench/fetch-corpus.sh`.",
        f"- Sample: every {corpus['sample_every']}th corpus message in file-name order, "
        f"{corpus['sample_messages']:,} messages. SpamAssassin runs on the sample only, because it is slow; "
        "the ratios against it compare runs on the same sample.",
        "- Adversarial messages from `bench/gen_adversarial.py`: "
        + ", ".join(f"`{name}` ({size / 1e6:,.2f} MB)" for name, size in results.get("adversarial", {}).items())
        + ".",
        "",
        "| rule set | rules | what it is |",
        "| --- | --- | --- |",
    ]
    for name, manifest in results.get("rule_sets", {}).items():
        if name.startswith("gen-"):
            what = f"generated by `bench/gen_rules.py` (seed {manifest.get('seed')})"
            if manifest.get("rules") == 0:
                what = "empty: measures reading, parsing and printing alone"
            count = manifest.get("rules")
        elif name == "sa-subset":
            what = ("SpamAssassin's scored header and body rules that need no backtracking, "
                    f"translated by `bench/translate_sa.py` ({manifest.get('kept_header')} header, "
                    f"{manifest.get('kept_body')} body)")
            count = manifest.get("kept")
        else:
            what = ("the same, plus SpamAssassin's meta sub-rules (`__NAME`) as scored rules "
                    f"({manifest.get('kept_header')} header, {manifest.get('kept_body')} body)")
            count = manifest.get("kept")
        lines.append(f"| `{name}` | {number(count)} | {what} |")
    lines.append("")
    return lines


def peers_section(results: dict) -> list[str]:
    lines = [
        "## Side by side",
        "",
        "rulec runs as the `rulec run --compiled` binary end to end: reading files, parsing, evaluating, "
        "printing JSON. SpamAssassin runs as spamd with one child, fed by one `spamc` process per message; "
        "rspamd as one normal worker, fed by `rspamc -n 1`. The machine is shared, so the first table counts "
        "messages per CPU second of the filter's own processes (the daemons' CPU time from /proc; rulec's "
        "without its start-up, as the daemons' start-up is not counted either). The second table is wall time "
        "as the client saw it, rulec's start-up included.",
        "",
        "Messages per CPU second:",
        "",
        "| rule set | messages | rulec | SpamAssassin | rulec ÷ SA | rspamd | rulec ÷ rspamd |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    wall = [
        "Messages per second of wall time, and peak memory (peak RSS of the rulec process, of the spamd "
        "child, of the rspamd normal worker):",
        "",
        "| rule set | messages | rulec | SpamAssassin | rspamd | rulec peak | spamd child peak | rspamd worker peak |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, entry in results.get("peers", {}).items():
        if "error" in entry:
            lines.append(f"| `{name}` | error: {one_line(entry['error'], 200)} | | | | | |")
            continue
        sa = entry["spamassassin"]
        sa_memory = [p.get("VmHWM", 0) for p in sa.get("memory", {}).get("processes", []) if "child" in p.get("name", "")]
        rspamd_memory = [p.get("VmHWM", 0) for p in entry.get("rspamd_memory", {}).get("processes", [])
                         if "normal" in p.get("name", "")]
        for label, rulec_key, rspamd_key, with_sa in (("sample", "rulec_sample", "rspamd_sample", True),
                                                      ("corpus", "rulec_corpus", "rspamd_corpus", False)):
            rulec_entry, rspamd_entry = entry[rulec_key], entry[rspamd_key]
            count = rspamd_entry.get("expected_messages") or rulec_entry.get("expected_messages")
            rulec_cpu = None if "error" in rulec_entry else rulec_entry.get("messages_per_cpu_second_net")
            rspamd_cpu = rspamd_entry.get("messages_per_cpu_second")
            sa_cpu = sa.get("messages_per_cpu_second") if with_sa else None
            sa_count = f" (SA: {sa['messages']:,})" if with_sa and sa["messages"] != count else ""
            lines.append(
                f"| `{name}` | {label}, {count:,}{sa_count} | {number(rulec_cpu)} | {number(sa_cpu, 1) if with_sa else ''} | "
                f"{ratio(rulec_cpu, sa_cpu) if with_sa else ''} | {number(rspamd_cpu)} | {ratio(rulec_cpu, rspamd_cpu)} |"
            )
            wall.append(
                f"| `{name}` | {label}, {count:,} | {number(rate(rulec_entry))} | "
                f"{number(sa['messages_per_second'], 1) if with_sa else ''} | {number(rate(rspamd_entry))} | "
                f"{mib(rulec_entry.get('max_rss_kib'))} | {mib(max(sa_memory, default=0)) if with_sa else ''} | "
                f"{mib(max(rspamd_memory, default=0)) if with_sa else ''} |"
            )
    lines += [""] + wall
    lines += [
        "",
        "Errors, where a run failed:",
        "",
    ]
    errors = []
    for name, entry in results.get("peers", {}).items():
        for key in ("rulec_sample", "rulec_corpus", "rspamd_sample", "rspamd_corpus"):
            if isinstance(entry.get(key), dict) and "error" in entry[key]:
                errors.append(f"- `{name}` {key}: {one_line(entry[key]['error'])}")
        if entry.get("spamassassin", {}).get("errors"):
            errors.append(f"- `{name}` SpamAssassin: {entry['spamassassin']['errors']} spamc calls failed")
        if entry.get("spamassassin", {}).get("stopped_by_budget"):
            errors.append(f"- `{name}` SpamAssassin stopped at its time budget after {entry['spamassassin']['messages']} messages")
    lines += errors or ["- none"]
    lines += [
        "",
        "### Do the three filters fire the same rules?",
        "",
        "For each message of the sample, the set of rule names each filter reported. rulec lists a rule once "
        "per firing, SpamAssassin and rspamd once per message, so the sets are compared, not the lists.",
        "",
        "| rule set | pair | messages | identical sets | hits (first) | hits (second) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, entry in results.get("peers", {}).items():
        for pair, values in entry.get("agreement", {}).items():
            share = values.get("identical_share")
            share_text = "n/a" if share is None else f"{values['identical_test_sets']:,} ({share * 100:.1f}%)"
            lines.append(f"| `{name}` | {pair.replace('_', ' ')} | {values['messages']:,} | {share_text} | "
                         f"{values['hits_first']:,} | {values['hits_second']:,} |")
    lines.append("")
    return lines


def scaling_section(results: dict, plot_name: str | None) -> list[str]:
    scaling = results.get("rulec_scaling", {})
    base = scaling.get("gen-10", {}).get("cpu_microseconds_per_message_net")
    lines = [
        "## rulec alone: cost against rule count",
        "",
        f"The whole corpus, median of {results.get('repeat')} runs of `rulec run --quiet --compiled FILE "
        "bench/data/corpus/ham bench/data/corpus/spam`. CPU time per message leaves out start-up (the same "
        "command on an empty directory). Set `gen-0` has no rules: its cost is reading, parsing and printing, "
        "the floor under every other row.",
        "",
        "| rule set | rules | msg per CPU s | CPU µs per message | ÷ cost at 10 rules | wall msg/s, start-up included | start-up | compile | peak RSS |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, entry in scaling.items():
        count = rule_count(results, name)
        if "error" in entry:
            lines.append(f"| `{name}` | {number(count)} | error: {one_line(entry['error'], 160)} | | | | | | |")
            continue
        cost = entry["cpu_microseconds_per_message_net"]
        lines.append(
            f"| `{name}` | {number(count)} | {number(entry['messages_per_cpu_second_net'])} | {number(cost, 1)} | "
            f"{ratio(cost, base)} | {number(entry['messages_per_second'])} | "
            f"{entry['startup_seconds_median'] * 1000:,.0f} ms | {entry.get('compile_seconds', 0):,.1f} s | "
            f"{mib(entry['max_rss_kib'])} |"
        )
    lines.append("")
    if plot_name:
        lines += [f"![rulec CPU time per message against rule count](benchmarks/{plot_name})", ""]
    return lines


def tooling_section(results: dict) -> list[str]:
    tooling = results.get("rulec_tooling", {})
    lines = ["## Checking, compiling and loading", "", "| step | time | notes |", "| --- | --- | --- |"]

    def row(label: str, key: str, note: str) -> None:
        entry = tooling.get(key)
        if not entry:
            return
        if entry.get("exit_code") not in (0, 1):
            lines.append(f"| {label} | failed (exit {entry.get('exit_code')}) | {one_line(entry.get('stderr_tail', ''), 160)} |")
            return
        lines.append(f"| {label} | {entry['seconds_min'] * 1000:,.1f} ms | best of several runs; {note} |")

    row("`rulec check` of 10,000 rules", "check_10000", "whole process")
    row("`rulec compile` of 10,000 rules", "compile_10000",
        f"writes {number(tooling.get('compiled_size_10000'))} bytes")
    row("`rulec run --compiled` (10,000 rules), one small message", "warm_run_10000", "whole process")
    row("`rulec run --compiled` (0 rules), one small message", "warm_run_0", "whole process: start-up floor")
    estimate = tooling.get("warm_load_10000_seconds_estimate")
    if estimate is not None:
        lines.append(f"| warm load of the 10,000-rule program (estimate) | {estimate * 1000:,.1f} ms | "
                     "difference of the two rows above |")
    lines.append("")
    return lines


def latency_section(results: dict) -> list[str]:
    latency = results.get("rulec_latency", {})
    lines = ["## Per-message latency", ""]
    if "error" in latency or not latency:
        return lines + [f"Not measured: {latency.get('error', 'no data')}", ""]
    lines += [
        f"Method: {latency['method']}. Rule set `gen-1000`; inputs: the sample plus the adversarial messages.",
        "",
        "| messages | p50 | p99 | max | max ÷ p50 | slowest |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| {latency['messages']:,} | {number(latency['p50_us'])} µs | {number(latency['p99_us'])} µs | "
        f"{number(latency['max_us'])} µs | {number(latency['max_over_median'], 1)} | `{latency['slowest']}` |",
        "",
        "| adversarial message | size | time |",
        "| --- | --- | --- |",
    ]
    sizes = results.get("adversarial", {})
    for name, micros in latency.get("adversarial_us", {}).items():
        lines.append(f"| `{name}` | {sizes.get(name, 0) / 1e6:,.2f} MB | {number(micros)} µs |")
    lines.append("")
    peer_rows = []
    for name, entry in results.get("peers", {}).items():
        sa_latency = entry.get("spamassassin", {}).get("latency")
        rspamd_latency = entry.get("rspamd_corpus", {}).get("server_latency")
        if sa_latency:
            peer_rows.append(f"| SpamAssassin, `{name}` | spamc wall time per message | {number(sa_latency['p50_us'])} µs | "
                             f"{number(sa_latency['p99_us'])} µs | {number(sa_latency['max_us'])} µs |")
        if rspamd_latency:
            peer_rows.append(f"| rspamd, `{name}` | `time_real` reported by rspamd | {number(rspamd_latency['p50_us'])} µs | "
                             f"{number(rspamd_latency['p99_us'])} µs | {number(rspamd_latency['max_us'])} µs |")
    if peer_rows:
        lines += ["The peers on the corpus messages (not the adversarial ones):", "",
                  "| filter | measured as | p50 | p99 | max |", "| --- | --- | --- | --- | --- |"] + peer_rows + [""]
    return lines


def aims_section(results: dict) -> list[str]:
    """Compare the run with each aim; the aims come from the project's peers page."""
    scaling = results.get("rulec_scaling", {})
    peers = results.get("peers", {})
    tooling = results.get("rulec_tooling", {})
    latency = results.get("rulec_latency", {})
    rows = []

    def verdict(met) -> str:
        if met is None:
            return "n/a"
        if met:
            return "met"
        return "**missed**"

    thousand = scaling.get("gen-1000", {})
    thousand_rate = thousand.get("messages_per_cpu_second_net")
    rows.append(("1,000 rules over the corpus: at least 10,000 messages/s on one core",
                 f"{number(thousand_rate)} messages per CPU second", verdict(None if thousand_rate is None else thousand_rate >= 10000)))

    peer_thousand = peers.get("gen-1000", {})
    sa_rate = peer_thousand.get("spamassassin", {}).get("messages_per_cpu_second")
    rulec_rate = peer_thousand.get("rulec_sample", {}).get("messages_per_cpu_second_net")
    speedup = rulec_rate / sa_rate if rulec_rate and sa_rate else None
    rows.append(("at least 100 times SpamAssassin on the same 1,000 rules and messages",
                 f"{number(speedup, 0)}×" if speedup else "n/a", verdict(None if speedup is None else speedup >= 100)))

    low = scaling.get("gen-10", {}).get("cpu_microseconds_per_message_net")
    high = scaling.get("gen-10000", {}).get("cpu_microseconds_per_message_net")
    growth = high / low if low and high else None
    rows.append(("cost at 10,000 rules at most 1.5 times the cost at 10", f"{number(growth, 2)}×",
                 verdict(None if growth is None else growth <= 1.5)))

    check = tooling.get("check_10000", {})
    check_ms = check.get("seconds_min", 0) * 1000 if check.get("exit_code") in (0, 1) else None
    rows.append(("`rulec check` of a 10,000-rule file under 100 ms", f"{number(check_ms, 1)} ms",
                 verdict(None if check_ms is None else check_ms < 100)))

    load = tooling.get("warm_load_10000_seconds_estimate")
    load_ms = load * 1000 if load is not None else None
    rows.append(("warm load of a compiled 10,000-rule program under 5 ms", f"{number(load_ms, 1)} ms (estimate)",
                 verdict(None if load_ms is None else load_ms < 5)))

    user_entry = results.get("criterion", {}).get("user_rules/twenty_rules_on_parsed_message")
    bench_user = user_entry["median_ns"] if user_entry else None
    rows.append(("one user's 20 personal rules on a parsed message: a few microseconds",
                 f"{number(bench_user / 1000, 2)} µs (criterion)" if bench_user else "not measured in this run",
                 verdict(None if bench_user is None else bench_user < 10000)))

    worst = latency.get("max_over_median")
    rows.append(("no message takes more than 20 times the median", f"max ÷ p50 = {number(worst, 1)} (`{latency.get('slowest')}`)",
                 verdict(None if worst is None else worst <= 20)))

    lines = ["## Aims", "", "| aim | this run | result |", "| --- | --- | --- |"]
    lines += [f"| {aim} | {value} | {result} |" for aim, value, result in rows]
    lines.append("")
    return lines


def notes_section() -> list[str]:
    return [
        "## How to read these numbers",
        "",
        "- The run happens on a shared 2-core machine; other jobs may have run at the same time. "
        "rulec numbers are medians of several runs; the peers ran once per rule set.",
        "- SpamAssassin's time per message includes starting one `spamc` process (about a millisecond), "
        "which is small against its own time per message. rspamd's includes its client, `rspamc`, "
        "which sends one request at a time.",
        "- Both peers run only the benchmark rules: spamd loads one plugin (`Check`) and rspamd only the "
        "`regexp` filter, so neither does its usual extra work (URL extraction aside). Their full default "
        "configurations would be slower.",
        "- The rule languages differ in small ways. A SpamAssassin `body` rule sees the body one paragraph "
        "at a time with the Subject prepended; rulec's `>` selector sees the decoded body text; rspamd's "
        "`{sa_body}` imitates SpamAssassin. A header rule in rulec runs once per header occurrence and "
        "can fire more than once. A text part sent as an attachment (`Content-Disposition: attachment`) is "
        "body text for SpamAssassin and rspamd but not for rulec, whose body text leaves attachments out. "
        "The agreement table shows how much these differences matter on this corpus.",
        "",
    ]


def criterion_results(criterion_dir: pathlib.Path) -> dict[str, dict]:
    """Read criterion's latest estimates: benchmark id -> median ns per iteration and elements."""
    found = {}
    for benchmark_file in sorted(criterion_dir.glob("**/new/benchmark.json")):
        estimates_file = benchmark_file.parent / "estimates.json"
        if not estimates_file.exists():
            continue
        benchmark = json.loads(benchmark_file.read_text())
        estimates = json.loads(estimates_file.read_text())
        throughput = benchmark.get("throughput") or {}
        found[benchmark["full_id"]] = {
            "median_ns": estimates["median"]["point_estimate"],
            "elements": throughput.get("Elements"),
        }
    return found


def micro_section(micro: dict[str, dict]) -> list[str]:
    lines = [
        "## Micro-benchmarks",
        "",
        "`cargo bench --bench rulec` (criterion, `benches/rulec.rs`) times the library without the binary: "
        "mail-parser alone (the floor), the decoded message view, parsing and checking a rule file, compiling, "
        "loading a compiled program, evaluating corpus messages with the shipped rules and with 10 to 10,000 "
        "generated rules, and one user's 20 personal rules on a parsed message. Its generated rules are "
        "built in Rust and are simpler than `bench/gen_rules.py`'s (fewer Unicode classes and counted "
        "repetitions), so its times per message are lower than the binary's with the same rule count.",
        "",
    ]
    if not micro:
        return lines + ["No criterion results were found in target/criterion for this run.", ""]
    lines += ["| benchmark | median per iteration | messages per iteration | per message |", "| --- | --- | --- | --- |"]
    for name, values in micro.items():
        elements = values["elements"]
        per_message = f"{values['median_ns'] / elements / 1000:,.2f} µs" if elements else ""
        lines.append(f"| `{name}` | {values['median_ns'] / 1000:,.1f} µs | {elements or ''} | {per_message} |")
    lines.append("")
    return lines


def build_page(results: dict, plot_name: str | None) -> str:
    lines = [
        "# Benchmarks",
        "",
        "rulec against SpamAssassin and rspamd on one machine, with the same messages and the same rules. "
        "This page is generated by `bench/report.py` from `bench/out/results.json`, which "
        "`bench/compare.sh` writes (a copy is in `docs/benchmarks/results.json`); no number here is typed in "
        "by hand. To reproduce: `bench/compare.sh`.",
        "",
    ]
    lines += aims_section(results)
    lines += peers_section(results)
    lines += scaling_section(results, plot_name)
    lines += tooling_section(results)
    lines += latency_section(results)
    lines += corpus_section(results)
    lines += machine_section(results)
    lines += micro_section(results.get("criterion", {}))
    lines += notes_section()
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=pathlib.Path, default=REPO_DIR / "bench/out/results.json")
    parser.add_argument("--page", type=pathlib.Path, default=REPO_DIR / "docs/benchmarks.md")
    parser.add_argument("--plot-dir", type=pathlib.Path, default=REPO_DIR / "docs/benchmarks")
    parser.add_argument("--criterion-dir", type=pathlib.Path, default=REPO_DIR / "target/criterion",
                        help="criterion's output, read for the micro-benchmark table")
    args = parser.parse_args()
    results = json.loads(args.results.read_text())
    results["criterion"] = criterion_results(args.criterion_dir)
    plot_name = write_plot(results, args.plot_dir)
    args.page.parent.mkdir(parents=True, exist_ok=True)
    args.page.write_text(build_page(results, plot_name))
    print(f"wrote {args.page}" + (f" and {args.plot_dir / plot_name}" if plot_name else ""))


if __name__ == "__main__":
    main()
