#!/usr/bin/env python3
"""Generate the same N synthetic spam rules for rulec, SpamAssassin and rspamd.

For each N the script writes, under OUT/gen-N/:

  rulec/rules.mailrules   FirstClass-style rules: quoted substring and glob
                          tests, eregexp:/eregexpi: tests and /perl/ tests on
                          headers and on the body (the `>` selector)
  sa.cf                   the same rules as SpamAssassin header/body rules
  rspamd.lua              the same rules for rspamd's regexp module
  manifest.json           rule counts per kind and target

Each rule adds an integer score and its name to $spamtests, as the shipped
rulec rules do. The patterns are built from a fixed vocabulary of spam and
ordinary mail words with a seeded random generator, so the same seed and N
always produce byte-identical files. Uses the Python standard library only.

N = 0 writes empty rule sets, the floor that measures reading and parsing.
The set for a smaller N is the first N rules of the set for a larger one.

Usage: gen_rules.py [--out DIR] [--seed S] N [N ...]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import random
import re
from dataclasses import dataclass

SPAM_WORDS = """
free money offer cheap discount viagra cialis pills meds pharmacy mortgage
refinance loan credit debt insurance casino lottery winner prize cash bonus
guaranteed income investment profit earn million dollars unsubscribe remove
click order buy sale deal limited urgent act now today exclusive bargain
save lowest price rates approved instant hidden opportunity business home
work weight loss diet enlarge satisfaction risk trial shipping wholesale
replica watches rolex stock alert penny marketing email addresses bulk
targeted leads adult dating singles hot girls xxx sexy secret miracle cure
herbal vitamin natural amazing incredible congratulations selected claim
reward gift card voucher coupon password account verify suspended bank
paypal ebay transfer wire nigeria beneficiary inheritance confidential
""".split()

HAM_WORDS = """
meeting project linux kernel patch release list thanks question update
report schedule review draft attached agenda minutes budget team server
install package debian redhat python perl mailing archive digest bug fix
build version config error warning compile source code commit branch merge
weekend lunch dinner family friends photos holiday travel flight hotel
conference paper research university students course lecture library book
article news story comments discussion thread forum reply quoted wrote
""".split()

SYLLABLES = """
ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu
la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru
sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu
""".split()

TLDS = ["com", "net", "biz", "info", "org", "ru", "cn"]

# Targets and their share of the rules, in order. Headers with several
# occurrences (Received) only get unanchored patterns.
TARGET_WEIGHTS = [
    ("Subject", 35),
    ("From", 10),
    ("X-Mailer", 3),
    ("Received", 4),
    ("Reply-To", 3),
    ("body", 45),
]


@dataclass(frozen=True)
class Rule:
    """One generated rule in a form neutral to the three rule languages."""

    name: str
    target: str  # a header name, or "body"
    kind: str
    score: int
    # rulec condition text, e.g. `"free money"` or `eregexpi:"…"` or `/…/i`
    rulec_condition: str
    # Perl-compatible regex and flags that match exactly when the rulec
    # condition does (on single-line header values and on body text)
    perl_regex: str
    perl_flags: str


class RuleGenerator:
    """Build rules from a seeded random generator; the same seed gives the same rules."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.used_patterns: set[tuple[str, str]] = set()

    def word(self, spam_share: float = 0.7) -> str:
        pool = SPAM_WORDS if self.random.random() < spam_share else HAM_WORDS
        return self.random.choice(pool)

    def rare_word(self) -> str:
        """Return a made-up word that matches almost no real message."""
        count = self.random.randint(3, 4)
        return "".join(self.random.choice(SYLLABLES) for _ in range(count))

    def some_word(self) -> str:
        # A third of the words are made up, so large rule sets keep a
        # realistic hit rate: most rules of a real set match rarely.
        if self.random.random() < 0.33:
            return self.rare_word()
        return self.word()

    def choose_target(self) -> str:
        total = sum(weight for _, weight in TARGET_WEIGHTS)
        point = self.random.uniform(0, total)
        for target, weight in TARGET_WEIGHTS:
            point -= weight
            if point <= 0:
                return target
        return TARGET_WEIGHTS[-1][0]

    def choose_score(self) -> int:
        if self.random.random() < 0.05:
            return -self.random.randint(1, 3)
        return self.random.randint(1, 10)

    def make_pattern(self, target: str) -> tuple[str, str, str, str]:
        """Return (kind, rulec condition, Perl regex, Perl flags) for one rule."""
        kinds = ["contains", "phrase", "ere_alt", "ere_class", "perl_word", "perl_seq", "perl_class"]
        if target != "body":
            kinds.append("glob")
        if target == "Subject":
            kinds += ["ere_anchored", "ere_case"]
        if target in ("From", "Reply-To"):
            kinds += ["ere_domain", "ere_domain"]
        if target == "body":
            kinds += ["perl_money", "ere_percent"]
        kind = self.random.choice(kinds)
        return (kind, *getattr(self, f"pattern_{kind}")())

    def pattern_contains(self) -> tuple[str, str, str]:
        text = self.some_word()
        return f'"{text}"', re.escape(text), "i"

    def pattern_phrase(self) -> tuple[str, str, str]:
        words = [self.some_word() for _ in range(self.random.randint(2, 3))]
        text = " ".join(words)
        return f'"{text}"', re.escape(text).replace("\\ ", " "), "i"

    def pattern_glob(self) -> tuple[str, str, str]:
        # A glob with wildcards matches the whole value, so `*a*b*` means
        # "contains a, later b".
        first, second = self.some_word(), self.some_word()
        return f'"*{first}*{second}*"', f"{first}.*{second}", "i"

    def pattern_ere_alt(self) -> tuple[str, str, str]:
        left = "|".join(sorted({self.some_word() for _ in range(self.random.randint(2, 4))}))
        right = "|".join(sorted({self.some_word() for _ in range(self.random.randint(1, 3))}))
        regex = f"({left}) +({right})"
        return f'eregexpi:"{regex}"', regex, "i"

    def pattern_ere_class(self) -> tuple[str, str, str]:
        word = self.some_word()
        low, high = sorted(self.random.sample(range(1, 6), 2))
        regex = f"{word}[0-9]{{{low},{high}}}[a-z]*"
        return f'eregexpi:"{regex}"', regex, "i"

    def pattern_ere_anchored(self) -> tuple[str, str, str]:
        word = self.some_word()
        regex = f"^(re|fwd?|adv): *[a-z ]*{word}"
        return f'eregexpi:"{regex}"', regex, "i"

    def pattern_ere_case(self) -> tuple[str, str, str]:
        word = self.some_word().upper()
        count = self.random.randint(3, 6)
        regex = f"[A-Z]{{{count},}} {word}"
        return f'eregexp:"{regex}"', regex, ""

    def pattern_ere_domain(self) -> tuple[str, str, str]:
        word = self.some_word()
        tlds = "|".join(sorted(set(self.random.sample(TLDS, self.random.randint(1, 3)))))
        regex = f"@[a-z0-9.-]*{word}[a-z0-9-]*\\.({tlds})"
        return f'eregexpi:"{regex}"', regex, "i"

    def pattern_ere_percent(self) -> tuple[str, str, str]:
        word = self.some_word()
        regex = f"[0-9]{{1,3}}% +(off|discount|{word})"
        return f'eregexpi:"{regex}"', regex, "i"

    def pattern_perl_word(self) -> tuple[str, str, str]:
        regex = f"\\b{self.some_word()}\\b"
        return f"/{regex}/i", regex, "i"

    def pattern_perl_seq(self) -> tuple[str, str, str]:
        first, second = self.some_word(), self.some_word()
        regex = f"\\b{first}\\W{{1,3}}{second}\\b"
        return f"/{regex}/i", regex, "i"

    def pattern_perl_class(self) -> tuple[str, str, str]:
        stem = self.some_word()
        regex = f"\\b{stem}[a-z]{{0,3}}(?:ing|ed|s)\\b"
        return f"/{regex}/i", regex, "i"

    def pattern_perl_money(self) -> tuple[str, str, str]:
        word = self.some_word()
        digits = self.random.randint(2, 5)
        regex = f"\\$\\s?\\d{{{digits},}}(?:,\\d{{3}})*\\s+{word}"
        return f"/{regex}/i", regex, "i"

    def make_rule(self, index: int) -> Rule:
        for _ in range(100):
            target = self.choose_target()
            kind, condition, regex, flags = self.make_pattern(target)
            if (target, condition) not in self.used_patterns:
                break
        self.used_patterns.add((target, condition))
        return Rule(
            name=f"GEN_{index:05d}",
            target=target,
            kind=kind,
            score=self.choose_score(),
            rulec_condition=condition,
            perl_regex=regex,
            perl_flags=flags,
        )


def generate_rules(count: int, seed: int) -> list[Rule]:
    generator = RuleGenerator(seed)
    return [generator.make_rule(index) for index in range(1, count + 1)]


def rulec_line(rule: Rule) -> str:
    selector = ">" if rule.target == "body" else rule.target
    if rule.score >= 0:
        adjust = f"$spamlevel += {rule.score}"
    else:
        adjust = f"$spamlevel -= {-rule.score}"
    return f'{selector}: {rule.rulec_condition} SET {adjust} AND $spamtests += "{rule.name};"'


def spamassassin_lines(rule: Rule) -> list[str]:
    regex = f"/{rule.perl_regex}/{rule.perl_flags}"
    if rule.target == "body":
        test = f"body {rule.name} {regex}"
    else:
        test = f"header {rule.name} {rule.target} =~ {regex}"
    return [test, f"score {rule.name} {rule.score}", f"describe {rule.name} generated {rule.kind} rule"]


def rspamd_line(rule: Rule) -> str:
    if rule.target == "body":
        expression = f"/{rule.perl_regex}/{rule.perl_flags}{{sa_body}}"
    else:
        expression = f"{rule.target}=/{rule.perl_regex}/{rule.perl_flags}{{header}}"
    # Lua long brackets need no escaping as long as `]==]` never occurs.
    assert "]==]" not in expression, "a generated pattern contains a Lua long-bracket terminator"
    return f"reconf['{rule.name}'] = {{ re = [==[{expression}]==], score = {rule.score}.0 }}"


def write_rule_set(rules: list[Rule], out_dir: pathlib.Path, seed: int) -> None:
    count = len(rules)
    rulec_dir = out_dir / "rulec"
    rulec_dir.mkdir(parents=True, exist_ok=True)

    header = f"generated by bench/gen_rules.py: {count} rules, seed {seed}"
    lines = [f"# {header}"] + [rulec_line(rule) for rule in rules]
    (rulec_dir / "rules.mailrules").write_text("\n".join(lines) + "\n", encoding="utf-8")

    sa_lines = [f"# {header}"]
    for rule in rules:
        sa_lines += spamassassin_lines(rule)
    (out_dir / "sa.cf").write_text("\n".join(sa_lines) + "\n", encoding="utf-8")

    lua_lines = [f"-- {header}", "config['regexp'] = {}", "local reconf = config['regexp']"]
    lua_lines += [rspamd_line(rule) for rule in rules]
    (out_dir / "rspamd.lua").write_text("\n".join(lua_lines) + "\n", encoding="utf-8")

    kinds: dict[str, int] = {}
    targets: dict[str, int] = {}
    for rule in rules:
        kinds[rule.kind] = kinds.get(rule.kind, 0) + 1
        targets[rule.target] = targets.get(rule.target, 0) + 1
    manifest = {"rules": count, "seed": seed, "kinds": kinds, "targets": targets}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", metavar="N", type=int, nargs="+", help="number of rules in a set")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("bench/out/rules"),
                        help="output directory (default bench/out/rules)")
    parser.add_argument("--seed", type=int, default=20021, help="random seed (default 20021)")
    args = parser.parse_args()
    for count in args.counts:
        if count < 0:
            parser.error(f"invalid rule count {count}: expected 0 or more")
        out_dir = args.out / f"gen-{count}"
        write_rule_set(generate_rules(count, args.seed), out_dir, args.seed)
        print(f"wrote {count} rules to {out_dir}")


if __name__ == "__main__":
    main()
