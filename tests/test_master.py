"""Parts: where a chapter is cut into the units that are mastered, cached and encoded alone."""

from __future__ import annotations

from dataclasses import dataclass

from audiobook.master import MasterSettings, part_bounds, part_key
from audiobook.model import BlockKind


@dataclass(frozen=True)
class Item:
    block_index: int
    block_kind: BlockKind


H, P, T, V = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.TITLE, BlockKind.VERSE


def test_each_paragraph_is_a_part_and_headings_stay_with_what_follows() -> None:
    items = [
        Item(0, T),
        Item(1, BlockKind.BYLINE),
        Item(2, P),
        Item(2, P),
        Item(3, P),
        Item(4, H),
        Item(5, V),
    ]
    assert part_bounds(items) == [(0, 4), (4, 5), (5, 7)]


def test_a_trailing_heading_is_a_part_of_its_own_and_nothing_is_lost() -> None:
    items = [Item(0, P), Item(1, H)]
    assert part_bounds(items) == [(0, 1), (1, 2)]
    assert part_bounds([]) == []


def test_a_part_keeps_its_key_when_a_paragraph_is_inserted_before_it() -> None:
    settings = MasterSettings()
    before = part_key([("a", 3, P), ("b", 4, P)], settings)
    after = part_key([("a", 4, P), ("b", 5, P)], settings)
    assert before == after
    assert part_key([("a", 3, P), ("b", 3, P)], settings) != before  # a sentence pause, not a paragraph one
