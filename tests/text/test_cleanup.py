import pytest

from audiobook.text.cleanup import clean_block


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("如同灯塔指引 航船。", "如同灯塔指引航船。"),
        ("就此起 航!", "就此起航！"),
        ("振兴的和声 ,激荡", "振兴的和声，激荡"),
        ("<mark>前章 :</mark> 振兴的和声", "前章：振兴的和声"),
        ("就此起航! .....", "就此起航！……"),
        ("看啊! 全面振兴? 是的; 好", "看啊！全面振兴？是的；好"),
        ('以"夏日般的火热"投身建设', "以“夏日般的火热”投身建设"),
        ("北纬40度的'振兴号'就此起航", "北纬40度的‘振兴号’就此起航"),
        ('感慨:"就像黑暗中的光。"', "感慨：“就像黑暗中的光。”"),
        ("发布女性建功岗位498 个", "发布女性建功岗位498个"),
        ("In 2023, the price was 1,000 at 10:30.", "In 2023, the price was 1,000 at 10:30."),
        ("使用 BERT 模型", "使用 BERT 模型"),
        ("**重点**和[链接](http://example.com)", "重点和链接"),
        ("行动纪实(上)", "行动纪实(上)"),
    ],
)
def test_cleanup_rules(raw: str, clean: str) -> None:
    assert clean_block(raw) == clean


def test_quoted_term_inside_quoted_speech_keeps_outer_quote_open() -> None:
    raw = '相拥。"咱们的招牌,从农民成长成为"全国劳动模范";每一步都离不开支持!"李正潮说。'
    assert (
        clean_block(raw) == "相拥。“咱们的招牌，从农民成长成为“全国劳动模范”；每一步都离不开支持！”李正潮说。"
    )


def test_cleanup_drops_no_chinese_character() -> None:
    raw = "辽水之畔, 营口之滨 ,云腾腾川流旷达天地之阔 。"
    kept = [ch for ch in clean_block(raw) if "\u4e00" <= ch <= "\u9fff"]
    assert kept == [ch for ch in raw if "\u4e00" <= ch <= "\u9fff"]
