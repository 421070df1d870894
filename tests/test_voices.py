import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audiobook.casting import make_cast
from audiobook.cli import app
from audiobook.engines.registry import create_engine, engine_names
from audiobook.errors import InputError, VoiceNotFoundError
from audiobook.ffmpeg import decode_file
from audiobook.model import Role
from audiobook.voices import default_voice, find_voice, load_catalog
from tests.audio_checks import voiced_fraction

runner = CliRunner()


def test_catalog_has_the_offline_default_and_the_edge_mandarin_voices() -> None:
    catalog = load_catalog()
    assert default_voice(catalog).engine == "baker"
    assert sum(v.default for v in catalog.values()) == 1
    for needed in [
        "zh-CN-liaoning-XiaobeiNeural",
        "zh-CN-shaanxi-XiaoniNeural",
        "zh-TW-HsiaoChenNeural",
        "zh-HK-HiuMaanNeural",
        "zh-CN-YunyangNeural",
    ]:
        assert catalog[needed].engine == "edge"
    assert all(v.licence for v in catalog.values())
    assert "non-commercial" in default_voice(catalog).licence


def test_voices_list_json_and_filters() -> None:
    result = runner.invoke(app, ["voices", "list", "--json"])
    rows = json.loads(result.stdout)
    assert {"id", "engine", "locale", "gender", "default"} <= set(rows[0])
    assert [r["id"] for r in rows if r["default"]] == ["baker"]
    edge_female = json.loads(
        runner.invoke(
            app, ["voices", "list", "--json", "--engine", "edge", "--locale", "zh-CN", "--gender", "female"]
        ).stdout
    )
    assert edge_female and all(r["engine"] == "edge" and r["gender"] == "Female" for r in edge_female)
    assert all(r["locale"].startswith("zh-CN") for r in edge_female)


def test_unknown_voice_suggests_the_closest_ids() -> None:
    with pytest.raises(VoiceNotFoundError, match=r"did you mean .*zh-CN-liaoning-XiaobeiNeural"):
        find_voice("zh-CN-liaoning-Xiaobei")
    result = runner.invoke(app, ["voices", "preview", "bakr", "--out", "x.wav"])
    assert result.exit_code == 2 and "baker" in result.output


def test_casting_flags_and_presets() -> None:
    cast = make_cast()
    assert all(v.id == "baker" for _, v in cast.voices)
    cast = make_cast(preset="newsroom", casts=["quote=espeak-cmn-female"])
    assert cast.voice_for(Role.VERSE).id == "baker-slow"
    assert cast.voice_for(Role.QUOTE).id == "espeak-cmn-female"
    assert make_cast(voice="espeak-cmn-male").voice_for(Role.TITLE).id == "espeak-cmn-male"
    assert make_cast(preset="liaoning").voice_for(Role.NARRATOR).id == "zh-CN-liaoning-XiaobeiNeural"
    with pytest.raises(InputError, match="unknown role"):
        make_cast(casts=["singer=baker"])
    with pytest.raises(InputError, match="ROLE=VOICE"):
        make_cast(casts=["baker"])
    with pytest.raises(InputError, match=r"presets: .*newsroom"):
        make_cast(preset="nope")


def test_registry_knows_every_catalog_engine() -> None:
    assert {"baker", "espeak", "edge"} <= set(engine_names())
    assert {v.engine for v in load_catalog().values()} <= set(engine_names())
    with pytest.raises(InputError, match="unknown engine"):
        create_engine("festival")


@pytest.mark.parametrize("voice", sorted(v.id for v in load_catalog().values() if v.engine != "edge"))
def test_preview_of_every_offline_voice(tmp_path: Path, voice: str) -> None:
    out = tmp_path / f"{voice}.mp3"
    result = runner.invoke(
        app, ["voices", "preview", voice, "--out", str(out), "--text", "辽水之畔，营口之滨。"]
    )
    assert result.exit_code == 0, result.output
    samples = decode_file(out, 24000)
    assert 1.0 < len(samples) / 24000 < 6.0
    assert voiced_fraction(samples, 24000) > 0.4
