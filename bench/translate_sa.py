#!/usr/bin/env python3
"""Translate SpamAssassin's installed header and body regex rules for rulec.

Reads every *.cf of the installed SpamAssassin rules (Debian:
/usr/share/spamassassin, or the newest sa-update tree under
/var/lib/spamassassin), keeps the scored `header` and `body` rules whose
regex a linear-time engine can run, and writes under OUT/:

  rulec/rules.mailrules   the kept rules as rulec /perl/ rules
  sa.cf                   exactly the kept rules, regex and score unchanged
  rspamd.lua              the kept rules for rspamd's regexp module
  manifest.json           how many rules were read, kept and dropped, and why

A rule is kept when all of these hold:
- it is `header NAME Header =~ /re/flags` on one real header name (no
  pseudo-header such as ALL or ToCc, no :raw/:addr/:name modifier, no
  `exists:` or `eval:`), or `body NAME /re/flags`;
- its name does not start with `__` (meta sub-rules score nothing alone);
- its final score (the first of four score sets, the one SpamAssassin uses
  without Bayes and network tests) is not zero;
- its regex is ASCII and needs no backtracking feature: no backreferences,
  lookaround, atomic groups, possessive quantifiers, \\G, \\K, recursion,
  conditionals, code blocks or \\Q…\\E, and no escape that the Rust regex
  crate reads differently from Perl (\\h, \\v, \\R, \\X, \\N, \\C, \\e, \\Z, octal).

rulec's $spamlevel holds integers, so the rulec rules add the SpamAssassin
score times --scale (default 1000, which keeps three decimals).

With --rulec BINARY the script runs `rulec check --format json` on the output
and drops the rules that rulec reports, until the check is clean (at most five
rounds), and records them in manifest.json.

Uses the Python standard library only.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import subprocess
import sys
from dataclasses import dataclass, field

DEFAULT_RULE_DIRS = [pathlib.Path("/usr/share/spamassassin")]

# SpamAssassin pseudo-headers that no message carries as such.
PSEUDO_HEADERS = {
    "all", "all-trusted", "all-untrusted", "all-internal", "all-external",
    "tocc", "envelopefrom", "messageid", "x-spam-relays-external",
    "x-spam-relays-internal", "x-spam-relays-trusted", "x-spam-relays-untrusted",
}

HEADER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")

# Regex constructs that need a backtracking engine, or that the Rust regex
# crate (regex-syntax 0.8) rejects or reads differently from Perl.
UNSUPPORTED_CONSTRUCTS = [
    ("backreference", re.compile(r"\\[1-9]|\\g[{\d-]|\\k[<{']")),
    ("lookaround", re.compile(r"\(\?<?[=!]")),
    ("atomic group", re.compile(r"\(\?>")),
    ("possessive quantifier", re.compile(r"(?<!\\)[*+?}]\+")),
    ("\\G or \\K anchor", re.compile(r"\\[GK]")),
    ("recursion or conditional", re.compile(r"\(\?(?:R|\d|&|P>|\(|\||\^)")),
    ("code block", re.compile(r"\(\?\??\{")),
    ("\\Q…\\E quoting", re.compile(r"\\[QE]")),
    ("Perl-only escape", re.compile(r"\\[hHvVRXNCeZ]")),
    ("octal escape", re.compile(r"\\0")),
]

ALLOWED_FLAGS = set("imsx")

# Score given to meta sub-rules with --include-subrules.
SUBRULE_SCORE = 0.001


@dataclass
class SaRule:
    """One header or body rule as SpamAssassin defines it."""

    name: str
    kind: str  # "header" or "body"
    header: str  # empty for body rules
    regex: str  # between the delimiters, as written
    flags: str
    source: str  # file:line of the definition


@dataclass
class Translation:
    rules: list[SaRule] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    read: int = 0  # header and body definition lines
    names: int = 0  # distinct rule names among them

    def drop(self, reason: str) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + 1


def find_rule_dir(explicit: pathlib.Path | None) -> pathlib.Path:
    if explicit is not None:
        return explicit
    update_root = pathlib.Path("/var/lib/spamassassin")
    updated = sorted(update_root.glob("[0-9]*/updates_spamassassin_org")) if update_root.is_dir() else []
    if updated:
        return updated[-1]
    for candidate in DEFAULT_RULE_DIRS:
        if any(candidate.glob("*.cf")):
            return candidate
    sys.exit("error: no SpamAssassin rules found in /usr/share/spamassassin or /var/lib/spamassassin; "
             "install spamassassin (bench/peers-setup.sh install) or pass --rules-dir")


def split_regex(text: str) -> tuple[str, str] | None:
    """Split `/re/flags`, `m{re}flags` or `m!re!flags` into regex and flags."""
    text = text.strip()
    if text.startswith("m") and len(text) > 2 and not text[1].isalnum() and not text[1].isspace():
        opening = text[1]
        closing = {"{": "}", "(": ")", "[": "]", "<": ">"}.get(opening, opening)
        body = text[2:]
    elif text.startswith("/"):
        opening = closing = "/"
        body = text[1:]
    else:
        return None
    depth = 0
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            index += 2
            continue
        if opening != closing and char == opening:
            depth += 1
        elif char == closing:
            if depth == 0:
                regex, rest = body[:index], body[index + 1 :].strip()
                flags_match = re.match(r"^([a-z]*)\s*(.*)$", rest)
                if flags_match is None:
                    return None
                flags, trailing = flags_match.groups()
                if trailing and not trailing.startswith("[if-unset:"):
                    return None
                if trailing:
                    return None  # an [if-unset: …] default has no rulec equivalent
                if closing != "/":
                    regex = escape_slashes(regex)
                return regex, flags
            depth -= 1
        index += 1
    return None


def escape_slashes(regex: str) -> str:
    """Escape each unescaped `/`, so the regex fits between slashes."""
    out = []
    index = 0
    while index < len(regex):
        char = regex[index]
        if char == "\\" and index + 1 < len(regex):
            out.append(regex[index : index + 2])
            index += 2
            continue
        out.append("\\/" if char == "/" else char)
        index += 1
    return "".join(out)


def parse_score(values: list[str]) -> float | None:
    try:
        numbers = [float(value) for value in values]
    except ValueError:
        return None
    return numbers[0] if numbers else None


def read_rules(rule_dir: pathlib.Path) -> Translation:
    """Read every rule definition and score; a later definition replaces an earlier one."""
    translation = Translation()
    # Each name maps to its last definition, or to the reason it cannot be used.
    definitions: dict[str, SaRule | str] = {}
    for path in sorted(rule_dir.glob("*.cf")):
        # SpamAssassin rule files are bytes; latin-1 maps every byte to one character.
        for number, line in enumerate(path.read_text("latin-1").splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            keyword = parts[0].lower()
            if keyword == "score" and len(parts) >= 3:
                score = parse_score(parts[2].split("#")[0].split())
                if score is not None:
                    translation.scores[parts[1]] = score
                continue
            if keyword not in ("header", "body") or len(parts) < 3:
                continue
            translation.read += 1
            name, rest = parts[1], parts[2]
            definitions[name] = parse_definition(keyword, name, rest, f"{path.name}:{number}")
    translation.names = len(definitions)
    for definition in definitions.values():
        if isinstance(definition, str):
            translation.drop(definition)
        else:
            translation.rules.append(definition)
    return translation


def parse_definition(keyword: str, name: str, rest: str, source: str) -> SaRule | str:
    """Parse one definition, or return the reason it cannot be translated."""
    if rest.startswith("eval:"):
        return "eval: test"
    header = ""
    if keyword == "header":
        match = re.match(r"^(\S+)\s*(=~|!~)\s*(.*)$", rest)
        if match is None:
            return "header test without =~ (exists:, eval: and the like)"
        header, operator, rest = match.groups()
        if operator == "!~":
            return "header !~ (negated match)"
        if not HEADER_NAME.match(header) or header.lower() in PSEUDO_HEADERS:
            return "pseudo-header or header modifier (:raw, :addr, :name)"
    split = split_regex(rest)
    if split is None:
        return "regex not in /re/flags form or with [if-unset:]"
    regex, flags = split
    return SaRule(name=name, kind=keyword, header=header, regex=regex, flags=flags, source=source)


def unsupported_reason(rule: SaRule) -> str | None:
    if not rule.regex.isascii():
        return "non-ASCII regex (SpamAssassin matches bytes, rulec decoded text)"
    flags = set(rule.flags) - {"o", "g"}
    if not flags <= ALLOWED_FLAGS:
        return "unsupported regex flag"
    for reason, pattern in UNSUPPORTED_CONSTRUCTS:
        if pattern.search(rule.regex):
            return reason
    return None


def select_rules(translation: Translation, include_subrules: bool) -> list[tuple[SaRule, float]]:
    kept = []
    for rule in translation.rules:
        if rule.name.startswith("__"):
            if not include_subrules:
                translation.drop("meta sub-rule (name starts with __)")
                continue
            # A sub-rule becomes an ordinary rule with a token score, so all
            # three filters run and report it the same way.
            rule.name = "SUB_" + rule.name[2:]
            translation.scores[rule.name] = SUBRULE_SCORE
        # A rule with no score line scores 1.0, or 0.01 for T_ test rules.
        default = 0.01 if rule.name.startswith("T_") else 1.0
        score = translation.scores.get(rule.name, default)
        if score == 0:
            translation.drop("score 0 (disabled)")
            continue
        reason = unsupported_reason(rule)
        if reason is not None:
            translation.drop(reason)
            continue
        kept.append((rule, score))
    return kept


def clean_flags(flags: str) -> str:
    return "".join(flag for flag in flags if flag in ALLOWED_FLAGS)


def format_score(score: float) -> str:
    return f"{score:g}"


def write_outputs(kept: list[tuple[SaRule, float]], out_dir: pathlib.Path, scale: int, header: str) -> None:
    (out_dir / "rulec").mkdir(parents=True, exist_ok=True)
    rulec_lines = [f"# {header}"]
    sa_lines = [f"# {header}"]
    lua_lines = [f"-- {header}", "config['regexp'] = {}", "local reconf = config['regexp']"]
    for rule, score in kept:
        flags = clean_flags(rule.flags)
        scaled = round(score * scale)
        adjust = f"$spamlevel += {scaled}" if scaled >= 0 else f"$spamlevel -= {-scaled}"
        selector = ">" if rule.kind == "body" else rule.header
        rulec_lines.append(f'{selector}: /{rule.regex}/{flags} SET {adjust} AND $spamtests += "{rule.name};"')

        if rule.kind == "body":
            sa_lines.append(f"body {rule.name} /{rule.regex}/{flags}")
            expression = f"/{rule.regex}/{flags}{{sa_body}}"
        else:
            sa_lines.append(f"header {rule.name} {rule.header} =~ /{rule.regex}/{flags}")
            expression = f"{rule.header}=/{rule.regex}/{flags}{{header}}"
        sa_lines.append(f"score {rule.name} {format_score(score)}")
        if "]==]" in expression:
            raise ValueError(f"{rule.name}: regex contains the Lua long-bracket terminator ]==]")
        lua_lines.append(f"reconf['{rule.name}'] = {{ re = [==[{expression}]==], score = {score!r} }}")

    (out_dir / "rulec" / "rules.mailrules").write_text("\n".join(rulec_lines) + "\n", encoding="utf-8")
    (out_dir / "sa.cf").write_text("\n".join(sa_lines) + "\n", encoding="utf-8")
    (out_dir / "rspamd.lua").write_text("\n".join(lua_lines) + "\n", encoding="utf-8")


def rules_rejected_by_rulec(rulec: str, out_dir: pathlib.Path, kept: list[tuple[SaRule, float]]) -> set[str]:
    """Run `rulec check` and return the names of the rules on lines it reports as errors."""
    result = subprocess.run(
        [rulec, "check", "--format", "json", str(out_dir / "rulec")],
        capture_output=True, text=True, check=False,
    )
    if result.returncode == 0:
        return set()
    try:
        diagnostics = json.loads(result.stdout)
    except json.JSONDecodeError:
        sys.exit(f"error: rulec check exited {result.returncode} without JSON output:\n{result.stderr[-2000:]}")
    # Line 1 is the header comment, so rule i (0-based) is on line i + 2.
    return {
        kept[item["line"] - 2][0].name
        for item in diagnostics
        if item.get("severity") == "error" and 2 <= item.get("line", 0) < len(kept) + 2
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules-dir", type=pathlib.Path, help="SpamAssassin rule directory (default: the installed rules)")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("bench/out/rules/sa-subset"),
                        help="output directory (default bench/out/rules/sa-subset)")
    parser.add_argument("--scale", type=int, default=1000, help="rulec points per SpamAssassin point (default 1000)")
    parser.add_argument("--include-subrules", action="store_true",
                        help="keep meta sub-rules (__NAME) as rules named SUB_NAME with score 0.001")
    parser.add_argument("--rulec", help="rulec binary: drop the rules that `rulec check` rejects")
    args = parser.parse_args()

    rule_dir = find_rule_dir(args.rules_dir)
    translation = read_rules(rule_dir)
    kept = select_rules(translation, args.include_subrules)
    header = f"translated by bench/translate_sa.py from {rule_dir}: {len(kept)} rules"
    write_outputs(kept, args.out, args.scale, header)

    rejected_by_rulec: list[str] = []
    if args.rulec:
        for _ in range(5):
            rejected = rules_rejected_by_rulec(args.rulec, args.out, kept)
            if not rejected:
                break
            rejected_by_rulec += sorted(rejected)
            kept = [(rule, score) for rule, score in kept if rule.name not in rejected]
            header = f"translated by bench/translate_sa.py from {rule_dir}: {len(kept)} rules"
            write_outputs(kept, args.out, args.scale, header)

    manifest = {
        "source": str(rule_dir),
        "definitions_read": translation.read,
        "rule_names": translation.names,
        "kept": len(kept),
        "kept_header": sum(1 for rule, _ in kept if rule.kind == "header"),
        "kept_body": sum(1 for rule, _ in kept if rule.kind == "body"),
        "dropped": dict(sorted(translation.dropped.items(), key=lambda item: -item[1])),
        "rejected_by_rulec_check": rejected_by_rulec,
        "scale": args.scale,
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
