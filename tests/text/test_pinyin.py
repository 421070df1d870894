import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audiobook.cli import app
from audiobook.engines.baker import BakerEngine
from audiobook.engines.edge import EdgeEngine, EdgeSettings
from audiobook.engines.espeak import EspeakEngine
from audiobook.lexicon import Lexicon, load_lexicon
from audiobook.speech import speech_input
from audiobook.text.pinyin import to_pinyin
from audiobook.voices import find_voice
from tests.edge_standin import EdgeStandIn

ROOT = Path(__file__).parent.parent.parent


def _reading(sentence: str, word: str, lexicon: Lexicon | None = None) -> str:
    readings = to_pinyin(sentence, (lexicon or load_lexicon()).pinyin)
    start = sentence.index(word)
    return " ".join(r.pinyin or "" for r in readings[start : start + len(word)])


@pytest.mark.parametrize(
    ("sentence", "word", "reading"),
    [
        ("思想是行动的先导，如同灯塔指引航船。", "行动", "xing2 dong4"),
        ("将振兴的首要重任，锚定在人心凝聚的决胜高地之上。", "重任", "zhong4 ren4"),
        ("深入学习贯彻6月18日市委书记姚华明到市青企协调研的讲话精神。", "调研", "diao4 yan2"),
        ("妇联调解员穿梭于家庭与社区之间。", "调解", "tiao2 jie3"),
        ("星辰长河遥相呼应。", "长河", "chang2 he2"),
        ("从技术员成长为正高级工程师。", "成长", "cheng2 zhang3"),
        ("得靠咱一锤一锤敲得更响！", "一锤一锤", "yi4 chui2 yi4 chui2"),
        ("得靠咱一锤一锤敲得更响！", "敲得更响", "qiao1 de5 geng4 xiang3"),
        ("李正潮激动地说。", "激动地说", "ji1 dong4 de5 shuo1"),
        ("银行行长来了。", "行长", "hang2 zhang3"),
    ],
)
def test_reference_polyphones(sentence: str, word: str, reading: str) -> None:
    assert _reading(sentence, word) == reading


def test_tone_sandhi_of_yi_and_bu() -> None:
    assert _reading("一定不是", "一定不是") == "yi2 ding4 bu2 shi4"
    assert _reading("一天", "一天") == "yi4 tian1"
    assert _reading("第一", "第一") == "di4 yi1"
    assert _reading("不好", "不好") == "bu4 hao3"


def test_lexicon_beats_the_model() -> None:
    lexicon = Lexicon(pinyin={"长河": ["zhang3", "he2"]})
    assert _reading("星辰长河遥相呼应。", "长河", lexicon) == "zhang3 he2"


def test_lexicon_precedence_on_every_engine() -> None:
    lexicon = Lexicon(pinyin={"长河": ["zhang3", "he2"]}, say={"WTO": "世贸组织"})
    text = "WTO与长河。"
    baker = speech_input(text, BakerEngine(), lexicon)
    assert "世贸组织" in baker.text
    assert baker.pinyin is not None
    assert baker.pinyin[baker.text.index("长") : baker.text.index("长") + 2] == ("zhang3", "he2")
    for engine in (EspeakEngine(), EdgeEngine(settings=EdgeSettings(endpoint="ws://127.0.0.1:9/x"))):
        prepared = speech_input(text, engine, lexicon)
        assert prepared.pinyin is None and "世贸组织" in prepared.text
        assert "长河" not in prepared.text  # respelled with characters that carry zhang3 he2
        respelled = prepared.text[prepared.text.index("与") + 1 : prepared.text.index("与") + 3]
        assert _reading(respelled, respelled, Lexicon()) == "zhang3 he2"


def test_edge_receives_the_respelled_word() -> None:
    lexicon = Lexicon(pinyin={"长河": ["zhang3", "he2"]})
    with EdgeStandIn() as server:
        engine = EdgeEngine(settings=EdgeSettings(endpoint=server.endpoint, backoff_s=0.01))
        prepared = speech_input("星辰长河。", engine, lexicon)
        engine.synthesize(prepared.text, find_voice("zh-CN-XiaoxiaoNeural"))
    assert server.requests[0]["text"] == prepared.text and "长河" not in prepared.text


def test_pinyin_command_prints_one_token_per_character(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["pinyin", "行动2023年，绿色!"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "xing2 dong4 2 0 2 3 nian2 ， lv4 se4 !"
    lines = tmp_path / "in.txt"
    lines.write_text("重任\n长河\n", encoding="utf-8")
    result = runner.invoke(app, ["pinyin", "--input", str(lines)])
    assert result.stdout.splitlines() == ["zhong4 ren4", "chang2 he2"]


def test_check_reports_polyphones_numbers_and_artifacts() -> None:
    result = CliRunner().invoke(app, ["check", str(ROOT / "tests" / "data" / "reference.txt"), "--json"])
    import json

    report = json.loads(result.stdout)
    numbers = {(n["written"], n["spoken"]) for n in report["numbers"]}
    assert ("20%", "百分之二十") in numbers and ("2023-2025", "二零二三至二零二五") in numbers
    words = {(p["word"], p["reading"]) for p in report["polyphones"]}
    assert ("行动", "xing2 dong4") in words
    kinds = {a["kind"] for a in report["artifacts"]}
    assert {"stray spaces", "half-width punctuation"} <= kinds
    strict = CliRunner().invoke(app, ["check", str(ROOT / "tests" / "data" / "reference.txt"), "--strict"])
    assert strict.exit_code == 1


def test_eval_script_prints_accuracy(tmp_path: Path) -> None:
    sent = tmp_path / "a.sent"
    labels = tmp_path / "a.lb"
    sent.write_text("他是银行▁行▁长。\n思想是▁行▁动的先导。\n", encoding="utf-8")
    labels.write_text("hang2\nxing2\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "eval_g2p.py"), str(sent), str(labels)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "accuracy: 100.00 %" in proc.stdout
