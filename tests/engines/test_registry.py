from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from audiobook.edge_catalog import refresh_edge_catalog
from audiobook.engines import registry
from audiobook.errors import AudiobookError
from audiobook.speech import speak
from audiobook.voices import Voice, load_catalog
from tests.edge_standin import EdgeStandIn


def test_a_third_party_engine_is_found_through_the_entry_point_group(monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = EntryPoint("sine", "tests.engines.sine_engine:SineEngine", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(
        registry, "entry_points", lambda group: [plugin] if group == registry.ENTRY_POINT_GROUP else []
    )
    registry.engine_classes.cache_clear()
    try:
        assert "sine" in registry.engine_names()
        engine = registry.create_engine("sine")
        take = speak("营口2025年", Voice("sine-a", "sine", "zh-CN", "Female", "a"), engine)
        assert take.sample_rate == 16000 and take.duration == pytest.approx(0.1 * len("营口二零二五年"))
    finally:
        registry.engine_classes.cache_clear()


def test_voice_list_refresh_rewrites_the_edge_catalog(tmp_path: Path) -> None:
    (tmp_path / "edge.toml").write_text("", encoding="utf-8")
    with EdgeStandIn() as server:
        count = refresh_edge_catalog(server.endpoint, folder=tmp_path)
    voices = load_catalog(tmp_path)
    assert count == 3 and set(voices) == {
        "zh-CN-XiaoxiaoNeural",
        "zh-CN-liaoning-XiaobeiNeural",
        "zh-CN-YunyangNeural",
    }
    assert voices["zh-CN-liaoning-XiaobeiNeural"].locale == "zh-CN-liaoning"


def test_voice_list_refresh_offline_keeps_the_catalog(tmp_path: Path) -> None:
    (tmp_path / "edge.toml").write_text("# kept\n", encoding="utf-8")
    with pytest.raises(AudiobookError, match="cannot reach the edge voice list"):
        refresh_edge_catalog("ws://127.0.0.1:9/consumer/speech/synthesize/readaloud", folder=tmp_path)
    assert (tmp_path / "edge.toml").read_text(encoding="utf-8") == "# kept\n"
