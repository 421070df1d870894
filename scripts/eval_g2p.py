#!/usr/bin/env python3
"""Polyphone accuracy of our grapheme-to-pinyin on the CPP benchmark (or any .sent/.lb pair).

    .venv/bin/python scripts/eval_g2p.py                    # ../shared/data/cpp-dev
    .venv/bin/python scripts/eval_g2p.py SENT LB [--baseline]

Each .sent line holds one sentence with the polyphonic character between two U+2581 marks; the
same line of the .lb file holds its pinyin (tone number, 5 neutral; u: for ü).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audiobook.text.pinyin import to_pinyin  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "cpp-dev"
MARK = "\u2581"


def load(sent: Path, labels: Path) -> list[tuple[str, int, str]]:
    items = []
    for line, label in zip(
        sent.read_text(encoding="utf-8").splitlines(),
        labels.read_text(encoding="utf-8").splitlines(),
        strict=True,
    ):
        items.append((line.replace(MARK, ""), line.index(MARK), label.strip().replace("u:", "v")))
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sent", nargs="?", type=Path, default=DEFAULT / "dev.sent")
    parser.add_argument("labels", nargs="?", type=Path, default=DEFAULT / "dev.lb")
    parser.add_argument("--baseline", action="store_true", help="also score plain pypinyin with jieba words")
    options = parser.parse_args()
    if not options.sent.is_file():
        raise SystemExit(f"no such file: {options.sent}; give a .sent and a .lb file")
    items = load(options.sent, options.labels)
    started = time.perf_counter()
    correct, wrong = 0, Counter[str]()
    baseline = 0
    for text, pos, gold in items:
        # Sandhi is a rule of connected speech; the benchmark labels citation tones.
        guess = to_pinyin(text, sandhi=False)[pos].pinyin
        correct += guess == gold
        if guess != gold:
            wrong[text[pos]] += 1
        if options.baseline:
            baseline += to_pinyin(text, sandhi=False, polyphones=False)[pos].pinyin == gold
    elapsed = time.perf_counter() - started
    print(f"{options.sent}: {len(items)} sentences")
    print(f"accuracy: {100 * correct / len(items):.2f} %  ({correct}/{len(items)}, {elapsed:.1f} s)")
    if options.baseline:
        print(f"pypinyin with jieba words: {100 * baseline / len(items):.2f} %")
    print("most missed: " + ", ".join(f"{char} {count}" for char, count in wrong.most_common(12)))


if __name__ == "__main__":
    main()
