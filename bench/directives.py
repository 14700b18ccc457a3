"""Directive extraction measured against hand-written expected values.

    .venv/bin/python -m bench.directives [--json PATH] [--check]

Two sets, both the project's own text, annotated by hand from the text (never from the
extractor's output): the 36 sections of the fixture digests (``tests/fixtures/expected.jsonl``
with ``tests/fixtures/directives-gold.jsonl``) and 40 sections written in the portals' style
for this measurement (``tests/fixtures/directives-corpus.jsonl``). For lead agencies, partner
agencies and deadline dates it counts, per section, what the extractor found against what the
annotation says (canonical names; ISO dates, an unresolvable date as null) and reports
micro-averaged precision and recall. ``--check`` fails below 0.95 on any of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import ROOT, machine, table
from scraper.pages.directives import parse_directive

FIXTURES = ROOT / "tests" / "fixtures"
TARGET = 0.95
MEASURES = {
    "lead agencies": "lead",
    "partner agencies": "partners",
    "deadline dates": "deadlines",
    "leaders": "leaders",
}
CHECKED = ("lead agencies", "partner agencies", "deadline dates")


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def cases() -> list[dict[str, Any]]:
    """Every annotated section with its week, from both sets."""
    digests = {(r["site"], r["path"]): r for r in map(json.loads, (FIXTURES / "expected.jsonl").open(encoding="utf-8"))}
    found = []
    for gold in map(json.loads, (FIXTURES / "directives-gold.jsonl").open(encoding="utf-8")):
        digest = digests[(gold["site"], gold["path"])]
        section = digest["sections"][gold["section"]]
        found.append({**gold, "set": "fixture digests", "heading": section["heading"], "text": section["text"],
                      "week_start": digest["week_start"], "week_end": digest["week_end"]})  # fmt: skip
    for case in map(json.loads, (FIXTURES / "directives-corpus.jsonl").open(encoding="utf-8")):
        found.append({**case, "set": "written for the measurement"})
    return found


def got_values(directive: dict[str, Any], field: str) -> list[Any]:
    if field == "lead":
        return [a["name"] for a in directive["lead_agencies"]]
    if field == "partners":
        return [a["name"] for a in directive["partner_agencies"]]
    if field == "deadlines":
        return [d["date"] for d in directive["deadlines"]]
    return list(directive["leaders"])


def measure(sections: list[dict[str, Any]]) -> tuple[dict[str, dict[str, float]], list[str]]:
    counts: dict[str, Counter[str]] = {name: Counter() for name in MEASURES}
    misses: list[str] = []
    for case in sections:
        directive = parse_directive(case["heading"], case["text"], _day(case["week_start"]), _day(case["week_end"]))
        for name, field in MEASURES.items():
            want, got = Counter(case.get(field) or []), Counter(got_values(directive, field))
            hit = sum((want & got).values())
            counts[name].update(tp=hit, fp=sum(got.values()) - hit, fn=sum(want.values()) - hit)
            if want != got and name in CHECKED:
                label = case.get("id") or f"{case['site']}{case['path'][-30:]}#{case['section']}"
                misses.append(
                    f"{label} {name}: want {sorted(want.elements(), key=str)}, got {sorted(got.elements(), key=str)}"
                )
    scores = {}
    for name, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        scores[name] = {
            "precision": precision,
            "recall": recall,
            "annotated": c["tp"] + c["fn"],
            "found": c["tp"] + c["fp"],
        }
    return scores, misses


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.directives", description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write every figure as JSON")
    ap.add_argument("--check", action="store_true", help=f"exit 1 below {TARGET} precision or recall")
    args = ap.parse_args(argv)
    sections = cases()
    by_set: dict[str, Any] = {}
    for name in ("fixture digests", "written for the measurement"):
        by_set[name] = measure([c for c in sections if c["set"] == name])[0]
    overall, misses = measure(sections)
    print("# Directive extraction\n")
    print(f"Machine: {machine()}\n")
    print(f"{len(sections)} hand-annotated sections ({sum(c['set'] == 'fixture digests' for c in sections)} of the "
          "fixture digests, the rest written for the measurement).\n")  # fmt: skip
    rows = []
    for name in MEASURES:
        s = overall[name]
        own = by_set["fixture digests"][name]
        rows.append([name, s["annotated"], s["found"], f"{s['precision']:.3f}", f"{s['recall']:.3f}",
                     f"{own['precision']:.3f} / {own['recall']:.3f}"])  # fmt: skip
    print(table(["field", "annotated", "found", "precision", "recall", "fixture digests only (P / R)"], rows))
    if misses:
        print("\nSections where the extractor and the annotation differ:")
        for miss in misses:
            print(f"  {miss}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "overall": overall, "by_set": by_set, "misses": misses},
                                        ensure_ascii=False, indent=2) + "\n", encoding="utf-8")  # fmt: skip
    if args.check:
        low = [
            f"{n} {k} {overall[n][k]:.3f}" for n in CHECKED for k in ("precision", "recall") if overall[n][k] < TARGET
        ]
        if low:
            print(f"\nbelow the target of {TARGET}: {', '.join(low)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
