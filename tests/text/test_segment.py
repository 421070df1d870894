from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.text.chars import cjk_only
from audiobook.text.reader import Source, SourceFormat
from audiobook.text.segment import fit, split_sentences
from audiobook.text.structure import parse_article


def test_sentences_end_at_terminal_punctuation_and_closing_quotes() -> None:
    text = "紧紧相拥。“招牌得靠咱敲得更响！从技术员成长为工程师！”李正潮说。成果426项……这些数字；还有"
    assert split_sentences(text) == [
        "紧紧相拥。",
        "“招牌得靠咱敲得更响！",
        "从技术员成长为工程师！”",
        "李正潮说。",
        "成果426项……",
        "这些数字；",
        "还有",
    ]


def test_long_sentence_is_cut_at_commas_within_the_limit() -> None:
    sentence = "在知识内容覆盖广泛的系列大型职业技能培训中，" * 3 + "实现就业返岗。"
    pieces = fit(sentence, 40)
    assert "".join(pieces) == sentence
    assert all(len(p) <= 40 for p in pieces)
    assert all(p.endswith("，") for p in pieces[:-1])


def test_long_sentence_without_commas_is_cut_between_words() -> None:
    sentence = "中华人民共和国国务院总理在人民大会堂会见外国政府代表团成员"
    pieces = fit(sentence, 12)
    assert "".join(pieces) == sentence and all(len(p) <= 12 for p in pieces)
    assert "中华人民共和国" in pieces[0] or pieces[0].startswith("中华人民共和国")
    assert not any(p.endswith("人民大") for p in pieces)


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PIECES = st.one_of(
    st.text(CJK, min_size=1, max_size=30),
    st.sampled_from(
        [*list("，。！？；：、“”‘’……——,.!?;: \n\"'()（）《》0123456789abc%"), "\n\n", "# ", "> "]
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=60), st.integers(min_value=10, max_value=80))
def test_segments_keep_every_chinese_character_in_order(pieces: list[str], max_chars: int) -> None:
    text = "".join(pieces)
    if not cjk_only(text):
        return
    article = parse_article(Source(text, SourceFormat.MARKDOWN, "random", "utf-8"), max_chars=max_chars)
    spoken = "".join(cjk_only(s.text) for s in article.segments)
    assert spoken == cjk_only(text)
    assert all(len(s.text) <= max_chars for s in article.segments)
