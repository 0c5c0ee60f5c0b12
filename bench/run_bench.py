#!/usr/bin/env python3
"""Measure rulec, SpamAssassin and rspamd on the same corpus and rules.

bench/compare.sh prepares everything (corpus, packages, rule sets, a release
build of rulec, adversarial messages) and then runs this script, normally in
a private network namespace. The script writes every number it measures to
one JSON file, which bench/report.py turns into docs/benchmarks.md.

What it measures:
- rulec throughput over the whole corpus for 0 (an empty rule set: read,
  parse, evaluate nothing, print), 10, 100, 1,000 and 10,000 generated rules
  and for the translated SpamAssassin rules. Each is the median of --repeat
  runs of the `rulec run --compiled` binary end to end, in wall and CPU
  time, with its peak RSS. The same run on an empty directory gives the
  start-up time, which the net rates leave out;
- `rulec check` of the 10,000-rule set, `rulec compile`, and the warm start of
  `rulec run --compiled` on one small message;
- per-message latency (p50, p99, max) over a sample of the corpus plus the
  adversarial messages, with the 1,000-rule set, from `rulec run --timing`
  (one process, so process start and program load are not counted);
- for each peer rule set: spamd through spamc (one spamc process per message,
  parallelism 1) on a sample, rspamd through one `rspamc -n 1` run on the
  sample and on the whole corpus, rulec on the same files, peak memory of
  each, and how often the three agree on the rules that fired.

Every loop is bounded: by the number of files, and for SpamAssassin also by
--sa-budget seconds per rule set. Uses the Python standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCH_DIR = pathlib.Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
SPAMD_PORT = os.environ.get("SPAMD_PORT", "17830")
RSPAMD_PORT = os.environ.get("RSPAMD_PORT", "17833")


def log(message: str) -> None:
    print(f"run_bench: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Processes and the machine
# ---------------------------------------------------------------------------


def run_measured(command: list[str], stdout_path: pathlib.Path | None = None,
                 stdin_path: pathlib.Path | None = None) -> dict:
    """Run a command to completion; return wall and CPU seconds, peak RSS (KiB) and exit code."""
    stdout = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stdin=stdin, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        error_text = stderr.read()[-2000:].decode("utf-8", "replace")
    for handle in (stdout, stdin):
        if handle not in (subprocess.DEVNULL, None):
            handle.close()
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "max_rss_kib": usage.ru_maxrss,
        "exit_code": process.returncode,
        "stderr_tail": error_text if process.returncode != 0 else "",
    }


def command_output(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unavailable ({error})"
    text = (result.stdout or result.stderr).strip()
    return text.splitlines()[0] if text else f"unavailable (exit {result.returncode})"


def machine_info(rulec: str) -> dict:
    cpu_model = "unknown"
    cpuinfo = pathlib.Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    memory_kib = 0
    for line in pathlib.Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kib = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "rulec_version": command_output([rulec, "--version"]),
        "spamassassin_version": command_output(["spamd", "--version"]),
        "rspamd_version": command_output(["rspamd", "--version"]),
        "rustc_version": command_output(["rustc", "--version"]),
        "date_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
    }


# ---------------------------------------------------------------------------
# rulec
# ---------------------------------------------------------------------------


def read_verdicts(path: pathlib.Path) -> dict[str, set[str]]:
    """Map each input file name to the set of tests its verdict lists."""
    verdicts: dict[str, set[str]] = {}
    for line in path.read_text("utf-8", "replace").splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            verdict = json.loads(line)
        except json.JSONDecodeError:
            continue
        name = pathlib.Path(str(verdict.get("input", ""))).name
        tests = verdict.get("spam", {}).get("tests", []) or []
        verdicts[name] = set(tests)
    return verdicts


def write_file_list_dir(files: list[pathlib.Path], directory: pathlib.Path) -> pathlib.Path:
    """Make a directory of symlinks, so one rulec argument names a whole sample."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for path in files:
        (directory / path.name).symlink_to(path.resolve())
    return directory


def rulec_program(args, name: str) -> tuple[list[str], dict]:
    """Compile rule set `name` once; return the `rulec run` arguments that load it."""
    rules_dir = args.rules_root / name / "rulec"
    compiled = args.out_dir / f"program-{name}.bin"
    run = run_measured([args.rulec, "compile", "--rules", str(rules_dir), "-o", str(compiled)])
    info = {"compile_seconds": run["seconds"], "compile_cpu_seconds": run["cpu_seconds"]}
    if run["exit_code"] == 0 and compiled.exists():
        return ["--compiled", str(compiled)], info
    info["compile_error"] = run["stderr_tail"][-400:]
    return ["--rules", str(rules_dir)], info


def rulec_throughput(args, program: list[str], inputs: list[pathlib.Path], expected: int,
                     output: pathlib.Path) -> dict:
    """Run `rulec run` over the inputs --repeat times and report the median run.

    The same command on an empty directory measures start-up (loading the
    program), which the net rates leave out, as the daemons' start-up is.
    """
    command = [args.rulec, "run", "--quiet", *program, *map(str, inputs)]
    empty_dir = args.out_dir / "empty"
    empty_dir.mkdir(exist_ok=True)
    startup_command = [args.rulec, "run", "--quiet", *program, str(empty_dir)]
    runs = []
    startups = []
    for _ in range(args.repeat):
        runs.append(run_measured(command, stdout_path=output))
        if runs[-1]["exit_code"] not in (0, 1):
            break
        startups.append(run_measured(startup_command))
    last = runs[-1]
    verdict_count = sum(1 for line in output.read_bytes().splitlines() if line.startswith(b"{"))
    seconds = statistics.median(run["seconds"] for run in runs)
    cpu_seconds = statistics.median(run["cpu_seconds"] for run in runs)
    result = {
        "command": " ".join(command),
        "messages": verdict_count,
        "expected_messages": expected,
        "runs": len(runs),
        "seconds_median": seconds,
        "seconds_min": min(run["seconds"] for run in runs),
        "cpu_seconds_median": cpu_seconds,
        "max_rss_kib": max(run["max_rss_kib"] for run in runs),
        "exit_code": last["exit_code"],
    }
    if last["exit_code"] not in (0, 1) or verdict_count != expected or not startups:
        result["error"] = (f"exit code {last['exit_code']}, {verdict_count} verdicts for {expected} messages: "
                           f"{last['stderr_tail'][-600:]}")
        return result
    startup_seconds = statistics.median(run["seconds"] for run in startups)
    startup_cpu_seconds = statistics.median(run["cpu_seconds"] for run in startups)
    # A floor of 1 µs per message keeps a noisy start-up estimate from
    # producing a zero or negative time.
    net_seconds = max(seconds - startup_seconds, verdict_count * 1e-6)
    net_cpu_seconds = max(cpu_seconds - startup_cpu_seconds, verdict_count * 1e-6)
    result.update({
        "startup_seconds_median": startup_seconds,
        "startup_cpu_seconds_median": startup_cpu_seconds,
        "messages_per_second": verdict_count / seconds,
        "messages_per_cpu_second": verdict_count / cpu_seconds if cpu_seconds > 0 else None,
        "messages_per_second_net": verdict_count / net_seconds,
        "messages_per_cpu_second_net": verdict_count / net_cpu_seconds,
        "microseconds_per_message": seconds / verdict_count * 1e6,
        "cpu_microseconds_per_message_net": net_cpu_seconds / verdict_count * 1e6,
    })
    return result


def rulec_scaling(args, corpus_dirs: list[pathlib.Path], corpus_count: int) -> dict:
    results = {}
    for name in args.scaling_sets:
        log(f"rulec throughput, {name}")
        program, compile_info = rulec_program(args, name)
        results[name] = rulec_throughput(args, program, corpus_dirs, corpus_count,
                                         args.out_dir / f"rulec-{name}.jsonl")
        results[name].update(compile_info)
        if "error" in results[name]:
            log(f"  {results[name]['error']}")
        else:
            log(f"  {results[name]['messages_per_cpu_second_net']:.0f} messages per CPU second, start-up excluded")
    return results


def best_of(command: list[str], count: int, stdin_path: pathlib.Path | None = None) -> dict:
    runs = [run_measured(command, stdin_path=stdin_path) for _ in range(count)]
    return {
        "command": " ".join(command),
        "seconds_min": min(run["seconds"] for run in runs),
        "seconds_median": statistics.median(run["seconds"] for run in runs),
        "max_rss_kib": max(run["max_rss_kib"] for run in runs),
        "exit_code": runs[-1]["exit_code"],
        "stderr_tail": runs[-1]["stderr_tail"][-600:],
    }


def rulec_tooling(args, tiny_message: pathlib.Path) -> dict:
    """Time `rulec check`, `rulec compile` and the warm start of a compiled program."""
    results: dict = {}
    largest = args.rules_root / "gen-10000" / "rulec"
    empty = args.rules_root / "gen-0" / "rulec"
    log("rulec check and compile, 10,000 rules")
    results["check_10000"] = best_of([args.rulec, "check", str(largest)], 3)
    for name, rules_dir in (("10000", largest), ("0", empty)):
        compiled = args.out_dir / f"compiled-{name}.bin"
        results[f"compile_{name}"] = best_of([args.rulec, "compile", "--rules", str(rules_dir), "-o", str(compiled)], 2)
        results[f"compiled_size_{name}"] = compiled.stat().st_size if compiled.exists() else None
        results[f"warm_run_{name}"] = best_of([args.rulec, "run", "--compiled", str(compiled), str(tiny_message)], 9)
    warm_large = results["warm_run_10000"]
    warm_empty = results["warm_run_0"]
    if warm_large["exit_code"] in (0, 1) and warm_empty["exit_code"] in (0, 1):
        results["warm_load_10000_seconds_estimate"] = max(0.0, warm_large["seconds_min"] - warm_empty["seconds_min"])
    return results


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def latency_summary(samples: dict[str, float], adversarial_names: set[str]) -> dict:
    values = list(samples.values())
    median = statistics.median(values)
    worst_name = max(samples, key=samples.get)
    return {
        "messages": len(values),
        "p50_us": median * 1e6,
        "p99_us": percentile(values, 0.99) * 1e6,
        "max_us": max(values) * 1e6,
        "max_over_median": max(values) / median if median > 0 else None,
        "slowest": worst_name,
        "adversarial_us": {name: samples[name] * 1e6 for name in sorted(adversarial_names) if name in samples},
    }


def rulec_latency(args, files: list[pathlib.Path], adversarial: list[pathlib.Path]) -> dict:
    """Time rulec on one message at a time with the 1,000-rule set."""
    rules_dir = args.rules_root / "gen-1000" / "rulec"
    adversarial_names = {path.name for path in adversarial}
    everything = files + adversarial
    log("per-message latency from `rulec run --timing`")
    listing = write_file_list_dir(everything, args.out_dir / "latency-inputs")
    output = args.out_dir / "latency-timing.jsonl"
    command = [args.rulec, "run", "--quiet", "--timing", "--rules", str(rules_dir), str(listing)]
    run = run_measured(command, stdout_path=output)
    samples = {}
    for line in output.read_text("utf-8", "replace").splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if "elapsed_us" in record:
                samples[pathlib.Path(record["input"]).name] = record["elapsed_us"] / 1e6
    if run["exit_code"] in (0, 1) and len(samples) == len(everything):
        summary = latency_summary(samples, adversarial_names)
        summary["method"] = ("`rulec run --timing`: microseconds spent parsing and evaluating each "
                             "message inside one process, program compiled once")
        summary["command"] = " ".join(command)
        return summary
    log(f"  --timing gave {len(samples)} of {len(everything)} timings (exit {run['exit_code']}): "
        f"{run['stderr_tail'][-300:]}")

    log("per-message latency with one rulec process per message")
    compiled = args.out_dir / "latency-1000.bin"
    compile_run = run_measured([args.rulec, "compile", "--rules", str(rules_dir), "-o", str(compiled)])
    if compile_run["exit_code"] == 0:
        base = [args.rulec, "run", "--compiled", str(compiled)]
    else:
        base = [args.rulec, "run", "--rules", str(rules_dir)]
    samples = {}
    failures = {}
    for path in everything:
        run = run_measured([*base, str(path)])
        if run["exit_code"] in (0, 1):
            samples[path.name] = run["seconds"]
        else:
            failures[path.name] = f"exit {run['exit_code']}: {run['stderr_tail'][-300:]}"
    if not samples:
        return {"error": "rulec failed on every message", "failures": dict(list(failures.items())[:5])}
    summary = latency_summary(samples, adversarial_names)
    summary["method"] = ("one `" + " ".join(base[:3]) + " FILE` process per message: includes process "
                         "start and program load, so it overstates the per-message cost")
    summary["failures"] = failures
    return summary


# ---------------------------------------------------------------------------
# Peers
# ---------------------------------------------------------------------------


def child_pids(parent: int) -> list[int]:
    children = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return children


def process_memory(pid: int) -> dict:
    """Return VmHWM (peak) and VmRSS (now) of one process in KiB, and its name."""
    info = {"pid": pid}
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                info[key] = int(value.split()[0])
        info["name"] = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        pass
    return info


def daemon_pids(pidfile: pathlib.Path) -> list[int]:
    if not pidfile.exists():
        return []
    main_pid = int(pidfile.read_text().strip())
    return [main_pid] + child_pids(main_pid)


def cpu_seconds_of(pids: list[int]) -> float:
    """Sum the CPU time the processes and their reaped children have used so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # Fields 14 to 17 of /proc/PID/stat: utime, stime, and cutime and
        # cstime of children that exited (a respawned spamd child, say).
        ticks += sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def daemon_memory(pidfile: pathlib.Path) -> dict:
    if not pidfile.exists():
        return {}
    main_pid = int(pidfile.read_text().strip())
    processes = [process_memory(main_pid)] + [process_memory(pid) for pid in child_pids(main_pid)]
    return {
        "processes": processes,
        "total_rss_kib": sum(process.get("VmRSS", 0) for process in processes),
        "max_hwm_kib": max((process.get("VmHWM", 0) for process in processes), default=0),
    }


def run_spamassassin(files: list[pathlib.Path], budget_seconds: float, pidfile: pathlib.Path) -> dict:
    """Check each file with spamc against spamd, one at a time, within the time budget."""
    pids = daemon_pids(pidfile)
    cpu_before = cpu_seconds_of(pids)
    latencies: dict[str, float] = {}
    verdicts: dict[str, set[str]] = {}
    errors = 0
    start = time.perf_counter()
    for path in files:
        if time.perf_counter() - start > budget_seconds:
            break
        begin = time.perf_counter()
        with open(path, "rb") as message:
            result = subprocess.run(
                ["spamc", "-d", "127.0.0.1", "-p", SPAMD_PORT, "-y", "-s", "30000000", "-t", "300"],
                stdin=message, capture_output=True, check=False,
            )
        latencies[path.name] = time.perf_counter() - begin
        if result.returncode != 0:
            errors += 1
            continue
        names = result.stdout.decode("utf-8", "replace").strip()
        verdicts[path.name] = {name for name in names.split(",") if name}
    seconds = time.perf_counter() - start
    cpu_seconds = cpu_seconds_of(pids) - cpu_before
    return {
        "messages": len(latencies),
        "errors": errors,
        "seconds": seconds,
        "messages_per_second": len(latencies) / seconds if seconds > 0 else None,
        "daemon_cpu_seconds": cpu_seconds,
        "messages_per_cpu_second": len(latencies) / cpu_seconds if cpu_seconds > 0 else None,
        "latency": latency_summary(latencies, set()) if latencies else None,
        "stopped_by_budget": len(latencies) < len(files),
        "_verdicts": verdicts,
    }


def run_rspamd(files: list[pathlib.Path], label: str, out_dir: pathlib.Path, pidfile: pathlib.Path) -> dict:
    """Scan the files with one `rspamc -n 1` process; parse its JSON stream."""
    pids = daemon_pids(pidfile)
    cpu_before = cpu_seconds_of(pids)
    output = out_dir / f"rspamc-{label}.json"
    list_file = out_dir / f"rspamc-{label}.files"
    list_file.write_text("\n".join(str(path) for path in files) + "\n")
    command = ["rspamc", "-h", f"127.0.0.1:{RSPAMD_PORT}", "-n", "1", "-t", "300", "-j", "symbols"]
    # xargs keeps the argument list within the system limit for any corpus size.
    run = run_measured(["xargs", "-a", str(list_file), "-d", "\n", *command], stdout_path=output)
    cpu_seconds = cpu_seconds_of(pids) - cpu_before
    decoder = json.JSONDecoder()
    text = output.read_text("utf-8", "replace")
    position = 0
    verdicts: dict[str, set[str]] = {}
    server_times: dict[str, float] = {}
    while True:
        match = re.compile(r"\S").search(text, position)
        if match is None:
            break
        try:
            record, position = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            break
        name = pathlib.Path(str(record.get("filename", ""))).name
        verdicts[name] = set((record.get("symbols") or {}).keys())
        if isinstance(record.get("time_real"), (int, float)):
            server_times[name] = float(record["time_real"])
    result = {
        "command": " ".join(command) + " FILE...",
        "messages": len(verdicts),
        "expected_messages": len(files),
        "seconds": run["seconds"],
        "messages_per_second": len(verdicts) / run["seconds"] if run["seconds"] > 0 else None,
        "daemon_cpu_seconds": cpu_seconds,
        "messages_per_cpu_second": len(verdicts) / cpu_seconds if cpu_seconds > 0 else None,
        "exit_code": run["exit_code"],
        "server_latency": latency_summary(server_times, set()) if server_times else None,
        "_verdicts": verdicts,
    }
    if len(verdicts) != len(files):
        result["error"] = f"{len(verdicts)} results for {len(files)} files: {run['stderr_tail'][-400:]}"
    return result


def agreement(first: dict[str, set[str]], second: dict[str, set[str]]) -> dict:
    common = sorted(set(first) & set(second))
    same = sum(1 for name in common if first[name] == second[name])
    first_hits = sum(len(first[name]) for name in common)
    second_hits = sum(len(second[name]) for name in common)
    return {
        "messages": len(common),
        "identical_test_sets": same,
        "identical_share": same / len(common) if common else None,
        "hits_first": first_hits,
        "hits_second": second_hits,
    }


def compare_with_peers(args, sample: list[pathlib.Path], sample_dir: pathlib.Path,
                       corpus: list[pathlib.Path], corpus_dirs: list[pathlib.Path]) -> dict:
    results = {}
    for name in args.peer_sets:
        set_dir = args.rules_root / name
        log(f"peers with {name}: starting spamd and rspamd")
        # The daemons outlive peers-setup.sh, so its output goes to a file:
        # a pipe would stay open as long as they run.
        setup_log = args.out_dir / f"peers-setup-{name}.log"
        with open(setup_log, "wb") as setup_output:
            setup = subprocess.run(
                [str(BENCH_DIR / "peers-setup.sh"), "start", "--sa-rules", str(set_dir / "sa.cf"),
                 "--rspamd-rules", str(set_dir / "rspamd.lua")],
                stdin=subprocess.DEVNULL, stdout=setup_output, stderr=subprocess.STDOUT, check=False,
            )
        if setup.returncode != 0:
            tail = setup_log.read_text("utf-8", "replace")[-800:]
            results[name] = {"error": f"peers-setup.sh failed (exit {setup.returncode}): {tail}"}
            subprocess.run([str(BENCH_DIR / "peers-stop.sh")], stdin=subprocess.DEVNULL,
                           capture_output=True, check=False)
            continue
        try:
            entry: dict = {}
            log(f"  SpamAssassin on {len(sample)} messages (budget {args.sa_budget:.0f} s)")
            sa_pidfile = BENCH_DIR / "out/peers/sa/spamd.pid"
            rspamd_pidfile = BENCH_DIR / "out/peers/rspamd/run/rspamd.pid"
            entry["spamassassin"] = run_spamassassin(sample, args.sa_budget, sa_pidfile)
            entry["spamassassin"]["memory"] = daemon_memory(sa_pidfile)
            log("  rspamd on the sample and on the corpus")
            entry["rspamd_sample"] = run_rspamd(sample, f"{name}-sample", args.out_dir, rspamd_pidfile)
            entry["rspamd_corpus"] = run_rspamd(corpus, f"{name}-corpus", args.out_dir, rspamd_pidfile)
            entry["rspamd_memory"] = daemon_memory(rspamd_pidfile)
        finally:
            stop = subprocess.run([str(BENCH_DIR / "peers-stop.sh")], stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, check=False)
            log("  " + stop.stdout.strip().replace("\n", "; "))

        log("  rulec on the sample and on the corpus")
        program, compile_info = rulec_program(args, name)
        sample_output = args.out_dir / f"rulec-{name}-sample.jsonl"
        entry["rulec_sample"] = rulec_throughput(args, program, [sample_dir], len(sample), sample_output)
        entry["rulec_corpus"] = rulec_throughput(args, program, corpus_dirs, len(corpus),
                                                 args.out_dir / f"rulec-{name}-corpus.jsonl")
        entry["rulec_corpus"].update(compile_info)
        rulec_verdicts = read_verdicts(sample_output)
        sa_verdicts = entry["spamassassin"].pop("_verdicts")
        rspamd_verdicts = entry["rspamd_sample"].pop("_verdicts")
        entry["rspamd_corpus"].pop("_verdicts")
        entry["agreement"] = {
            "rulec_vs_spamassassin": agreement(rulec_verdicts, sa_verdicts),
            "rulec_vs_rspamd": agreement(rulec_verdicts, rspamd_verdicts),
            "spamassassin_vs_rspamd": agreement(sa_verdicts, rspamd_verdicts),
        }
        results[name] = entry
    return results


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rulec", required=True, help="the rulec binary to measure")
    parser.add_argument("--corpus", type=pathlib.Path, default=BENCH_DIR / "data/corpus")
    parser.add_argument("--rules-root", type=pathlib.Path, default=BENCH_DIR / "out/rules")
    parser.add_argument("--adversarial", type=pathlib.Path, default=BENCH_DIR / "out/adversarial")
    parser.add_argument("--out-dir", type=pathlib.Path, default=BENCH_DIR / "out/run")
    parser.add_argument("--results", type=pathlib.Path, default=BENCH_DIR / "out/results.json")
    parser.add_argument("--repeat", type=int, default=3, help="runs per rulec measurement (median)")
    parser.add_argument("--sample-every", type=int, default=6, help="the sample is every Nth corpus message")
    parser.add_argument("--sa-budget", type=float, default=600.0, help="seconds of SpamAssassin per rule set")
    parser.add_argument("--scaling-sets", nargs="+",
                        default=["gen-0", "gen-10", "gen-100", "gen-1000", "gen-10000", "sa-subset", "sa-subrules"])
    parser.add_argument("--peer-sets", nargs="*", default=["gen-100", "gen-1000", "sa-subset", "sa-subrules"])
    parser.add_argument("--command-line", default="", help="the command that started the run, for the report")
    parser.add_argument("--network", default="", help="how the run was isolated from the network, for the report")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)

    corpus_dirs = [args.corpus / "ham", args.corpus / "spam"]
    corpus = sorted(path for directory in corpus_dirs for path in directory.glob("*.eml"))
    if not corpus:
        sys.exit(f"error: no messages under {args.corpus}; run bench/fetch-corpus.sh first")
    sample = corpus[:: args.sample_every]
    sample_dir = write_file_list_dir(sample, args.out_dir / "sample")
    adversarial = sorted(args.adversarial.glob("*.eml"))
    tiny_message = args.out_dir / "tiny.eml"
    tiny_message.write_bytes(b"From: a@example.org\r\nSubject: hello\r\n\r\nhi\r\n")

    results: dict = {
        "machine": machine_info(args.rulec),
        "command": args.command_line,
        "network": args.network,
        "corpus": {"messages": len(corpus), "bytes": sum(path.stat().st_size for path in corpus),
                   "sample_messages": len(sample), "sample_every": args.sample_every},
        "adversarial": {path.name: path.stat().st_size for path in adversarial},
        "repeat": args.repeat,
    }
    for name in args.peer_sets + args.scaling_sets:
        manifest = args.rules_root / name / "manifest.json"
        if manifest.exists():
            results.setdefault("rule_sets", {})[name] = json.loads(manifest.read_text())

    started = time.perf_counter()
    results["rulec_scaling"] = rulec_scaling(args, corpus_dirs, len(corpus))
    results["rulec_tooling"] = rulec_tooling(args, tiny_message)
    results["rulec_latency"] = rulec_latency(args, sample, adversarial)
    results["peers"] = compare_with_peers(args, sample, sample_dir, corpus, corpus_dirs)
    results["elapsed_seconds"] = time.perf_counter() - started

    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2) + "\n")
    log(f"wrote {args.results}")


if __name__ == "__main__":
    main()
