"""jieba's dictionary read from the index on disk cuts and tags exactly as jieba loaded whole does."""

from __future__ import annotations

from pathlib import Path

import jieba
import jieba.posseg

from audiobook.text.jieba_index import open_index
from audiobook.text.words import cut_words, tag_words

SENTENCES = [
    "辽水之畔，营口之滨，这座城市正聆听着一场关乎振兴与未来的宏大叙事。",
    "市妇联优秀代表站在省级经验交流会讲台上，赢得了强烈共鸣与热烈掌声。",
    "我来到北京清华大学，他说：“这里的银行行长很和蔼。”",
    "2024年10月1日，营口港吞吐量达到1.5万标箱。",
]


def test_an_index_holds_frequencies_prefixes_tags_and_the_total(tmp_path: Path) -> None:
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("营口 30 ns\n营口市 20 ns\n振兴 50 v\n", encoding="utf-8")
    index = open_index(dictionary, tmp_path / "cache")
    assert index is not None
    assert index.total == 100
    assert index.frequencies["营口市"] == 20 and index.frequencies["营口"] == 30
    assert index.frequencies.get("振") == 0  # a prefix of a word: jieba's DAG walks through it
    assert "口" not in index.frequencies and index.frequencies.get("口", 1) == 1
    assert index.tags.get("振兴") == "v" and index.tags.get("振", "x") == "x"


def test_no_index_where_the_cache_folder_cannot_be_written(tmp_path: Path) -> None:
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("营口 30 ns\n", encoding="utf-8")
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert open_index(dictionary, blocked) is None


def test_cutting_and_tagging_match_jieba_with_its_whole_dictionary() -> None:
    whole = jieba.Tokenizer()
    whole.initialize()
    tagger = jieba.posseg.POSTokenizer(whole)
    for sentence in SENTENCES:
        assert list(cut_words(sentence)) == list(whole.cut(sentence, HMM=True))
        assert [tuple(pair) for pair in tag_words(sentence)] == [
            (p.word, p.flag) for p in tagger.lcut(sentence)
        ]
