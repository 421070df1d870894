import pytest

from audiobook.text.normalize import normalize, normalize_with_report

# Every number of the reference article, in context, and how a newsreader reads it.
REFERENCE_NUMBERS = [
    ("2025年市总工会", "二零二五年市总工会"),
    ("224万双手", "二百二十四万双手"),
    ("北纬40度", "北纬四十度"),
    ("2022年12月", "二零二二年十二月"),
    ("成为2023年两会热词", "成为二零二三年两会热词"),
    ("《方案(2023-2025)》", "《方案(二零二三至二零二五)》"),
    ("在5400多平方公里", "在五千四百多平方公里"),
    ("5个工作室", "五个工作室"),
    ("资金支持60万元", "资金支持六十万元"),
    ("8000余个就业岗位", "八千余个就业岗位"),
    ("1400余人", "一千四百余人"),
    ("800余名团员", "八百余名团员"),
    ("2000余名青少年", "两千余名青少年"),
    ("6月18日", "六月十八日"),
    ("679名大学生", "六百七十九名大学生"),
    ("岗位498个", "岗位四百九十八个"),
    ("300余名女性", "三百余名女性"),
    ("提高了20%", "提高了百分之二十"),
    (
        "入驻专家1869人，机构226家，发布成果426项",
        "入驻专家一千八百六十九人，机构二百二十六家，发布成果四百二十六项",
    ),
    ("提高了5%", "提高了百分之五"),
    ("24小时接待", "二十四小时接待"),
    ("1.5万余名群众", "一点五万余名群众"),
    ("培训3345人", "培训三千三百四十五人"),
    ("营口市5人", "营口市五人"),
    ("1人荣获", "一人荣获"),
    ("3人被评为", "三人被评为"),
]


@pytest.mark.parametrize(("written", "spoken"), REFERENCE_NUMBERS)
def test_reference_numbers(written: str, spoken: str) -> None:
    assert normalize(written) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("3～5天", "三到五天"),
        ("电话13812345678", "电话幺三八幺二三四五六七八"),
        ("0417-2345678", "零四幺七二三四五六七八"),
        ("身份证号210802199001011234", "身份证号二幺零八零二幺九九零零幺零幺幺二三四"),
        ("10:30开会", "十点三十分开会"),
        ("零下5℃", "零下五摄氏度"),
        ("1/3的人", "三分之一的人"),
        ("1,000元", "一千元"),
        ("增长10%-15%", "增长百分之十到百分之十五"),
    ],
)
def test_other_forms(written: str, spoken: str) -> None:
    assert normalize(written) == spoken


def test_report_names_each_replacement() -> None:
    _, report = normalize_with_report("2023年，224万人")
    assert [(r.rule, r.written, r.spoken) for r in report] == [
        ("year", "2023年", "二零二三年"),
        ("number", "224", "二百二十四"),
    ]
