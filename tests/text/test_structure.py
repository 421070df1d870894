from pathlib import Path

from audiobook.model import BlockKind, SegmentKind
from audiobook.text.pipeline import load_article
from audiobook.text.reader import Source, SourceFormat
from audiobook.text.structure import parse_article


def test_reference_article_front_matter(reference_article) -> None:  # type: ignore[no-untyped-def]
    article = reference_article
    assert article.title == "红旗照亮振兴路同心筑势立潮头"
    assert article.subtitle == "营口市群团组织助力全面振兴新突破三年行动纪实(上)"
    assert article.byline == "海丹青"
    assert article.captions == (
        "“工会四季情服务促振兴”2025年市总工会送清凉走访慰问活动。",
        "“五四薪火·青春同行”营口青年游营口文旅徒步走暨五四青年节主题团日活动。",
        "辽宁省妇联暨营口市妇联暑假儿童关爱服务活动。",
        "故事会现场。",
    )


def test_reference_article_chapters_are_siblings(reference_article) -> None:  # type: ignore[no-untyped-def]
    chapters = reference_article.chapters
    assert len(chapters) == 6  # the opening plus five sections
    assert [b.kind for b in chapters[0].blocks][:3] == [BlockKind.TITLE, BlockKind.SUBTITLE, BlockKind.BYLINE]
    for chapter, key in zip(
        chapters[1:], ["振兴的和声", "信仰如灯塔", "奋进的洪流", "初心践使命", "榜样的力量"], strict=True
    ):
        assert key in chapter.title
        assert chapter.depth == 1
        assert chapter.segments[0].kind is SegmentKind.HEADING
        assert "<mark>" not in chapter.title


def test_reference_poem_is_verse(reference_article) -> None:  # type: ignore[no-untyped-def]
    verse = [s.text for s in reference_article.chapters[1].segments if s.kind is SegmentKind.VERSE]
    assert verse[0] == "“十四面风帆涌起，"
    assert verse[-1] == "北纬40度的‘振兴号’就此起航！……”"
    assert len(verse) >= 6
    assert not any(s.kind is SegmentKind.VERSE for c in reference_article.chapters[2:] for s in c.segments)


def test_reference_quotes_have_speakers(reference_article) -> None:  # type: ignore[no-untyped-def]
    speakers = {s.speaker for s in reference_article.segments if s.kind is SegmentKind.QUOTE}
    assert {"李正潮", "任传鉴", "王利明", "李刚", "韩秋香"} <= speakers
    quote = next(s for s in reference_article.segments if s.text.startswith("“咱们‘营口制造’"))
    assert quote.kind is SegmentKind.QUOTE and quote.speaker == "李正潮"
    narration = next(s for s in reference_article.segments if s.text == "李正潮激动地说。")
    assert narration.kind is SegmentKind.PARAGRAPH


def test_reference_column_wraps_are_joined(reference_article) -> None:  # type: ignore[no-untyped-def]
    texts = "".join(s.text for s in reference_article.segments)
    assert "指引航船" in texts and "就此起航" in texts
    assert "被命名为省级工作室时" in texts  # a paragraph broken by a page
    assert " " not in texts.replace("(2023-2025)", "")


def _parse(text: str, fmt: SourceFormat = SourceFormat.MARKDOWN):  # type: ignore[no-untyped-def]
    return parse_article(Source(text, fmt, "test", "utf-8"))


def test_chinese_numbered_headings_nest() -> None:
    article = _parse(
        "文章标题\n\n一、总体情况\n\n总体很好。\n\n（一）细节\n\n细节如下。\n\n二、下一步\n\n继续努力。\n"
    )
    titles = [(c.title, c.depth) for c in article.chapters]
    assert titles == [("文章标题", 1), ("一、总体情况", 1), ("（一）细节", 2), ("二、下一步", 1)]


def test_markdown_verse_and_blockquote() -> None:
    article = _parse("# 诗\n\n## 一节\n\n> 床前明月光\n> 疑是地上霜\n\n说完了。\n")
    kinds = [s.kind for s in article.chapters[1].segments]
    assert kinds == [SegmentKind.HEADING, SegmentKind.VERSE, SegmentKind.VERSE, SegmentKind.PARAGRAPH]


def test_html_input(tmp_path: Path) -> None:
    html = """<!doctype html><html><head><title>页面</title><style>p{color:red}</style>
    <script>var x = "不要读";</script></head><body><nav>首页 | 新闻</nav>
    <h1>营口新闻</h1><h2>第一部分</h2><p>辽水之畔&nbsp;，营口之滨&amp;港口。</p>
    <img src="a.jpg" alt="图片"><blockquote>床前明月光<br>疑是地上霜</blockquote>
    <h3>第二部分</h3><p>思想是行动的先导。</p></body></html>"""
    path = tmp_path / "a.html"
    path.write_text(html, encoding="utf-8")
    article = load_article(path)
    assert article.title == "营口新闻"
    assert [c.title for c in article.chapters] == ["营口新闻", "第一部分", "第二部分"]
    texts = [s.text for s in article.segments]
    assert "辽水之畔，营口之滨&港口。" in texts
    assert not any("不要读" in t or "首页" in t or "color" in t for t in texts)
    assert [s.kind for s in article.chapters[1].segments][-2:] == [SegmentKind.VERSE, SegmentKind.VERSE]
    assert all(c.depth == 1 for c in article.chapters)


def test_list_items_are_blocks_of_their_own() -> None:
    items = "- 第一项：扩建码头\n- 第二项：智慧港口建设\n"
    article = _parse(f"# 标题\n\n据介绍，主要有两项工作\n\n{items}\n据悉，项目已经开工。\n")
    texts = [s.text for s in article.segments]
    assert texts[1:] == [
        "据介绍，主要有两项工作",
        "第一项：扩建码头",
        "第二项：智慧港口建设",
        "据悉，项目已经开工。",
    ]


def test_a_wrapped_latin_paragraph_keeps_its_word_space() -> None:
    article = _parse("# 标题\n\n## 一节\n\nThe port handled more cargo than\n\never before in its history.\n")
    assert (
        article.chapters[1].segments[1].text == "The port handled more cargo than ever before in its history."
    )
