import numpy as np
import pytest

from audiobook.engines.baker import BakerEngine, phonemes
from audiobook.engines.baker_model import asset_dir, remove_random_dropout
from audiobook.speech import speak
from audiobook.text.pinyin import to_pinyin
from audiobook.voices import find_voice
from tests.audio_checks import dominant_pitch_hz, voiced_fraction

TEXT = "思想是行动的先导，如同灯塔指引航船。"


@pytest.fixture(scope="module")
def engine() -> BakerEngine:
    return BakerEngine(threads=2)


def test_graph_rewrite_removes_the_flex_ops() -> None:
    original = (asset_dir() / "fastspeech2_quan.tflite").read_bytes()
    assert b"FlexRandomUniform" in original
    assert b"FlexRandomUniform" not in remove_random_dropout(original)


def test_phonemes_use_the_model_symbols_with_prosodic_breaks() -> None:
    symbols = phonemes(to_pinyin("行动，重任"))
    assert symbols == ["sil", "x", "ing2", "#0", "d", "ong4", "#3", "zh", "ong4", "#0", "r", "en4", "sil"]


def test_speech_is_real_deterministic_and_paced(engine: BakerEngine) -> None:
    voice = find_voice("baker")
    first = speak(TEXT, voice, engine)
    second = speak(TEXT, voice, engine)
    assert first.sample_rate == 24000
    assert np.array_equal(first.samples, second.samples)
    chars = len(TEXT) - 2
    assert 0.12 <= first.duration / chars <= 0.35  # a newsreader's 3-8 characters a second
    assert voiced_fraction(first.samples, first.sample_rate) > 0.6
    assert first.timings[0].text == TEXT and first.timings[0].end <= first.duration + 0.01


def test_voice_variants_change_rate_and_pitch(engine: BakerEngine) -> None:
    plain = speak(TEXT, find_voice("baker"), engine)
    slow = speak(TEXT, find_voice("baker-slow"), engine)
    low = speak(TEXT, find_voice("baker-low"), engine)
    assert slow.duration > plain.duration * 1.1
    assert abs(low.duration - plain.duration) < plain.duration * 0.12  # the pitch shift keeps the pace
    assert dominant_pitch_hz(low.samples, low.sample_rate) < dominant_pitch_hz(
        plain.samples, plain.sample_rate
    )


def test_numbers_are_spoken(engine: BakerEngine) -> None:
    with_number = speak("224万双手", find_voice("baker"), engine)
    assert with_number.duration > 1.2  # 二百二十四万双手: eight syllables, not two


def test_latin_letters_are_spelled_and_words_get_prosodic_breaks(engine: BakerEngine) -> None:
    from audiobook.engines.baker import word_starts
    from audiobook.speech import speech_input
    from audiobook.text.pinyin import Reading

    prepared = speech_input("GDP增长了", engine)
    assert prepared.pinyin is not None
    starts = word_starts(prepared.text)
    readings = [
        Reading(c, p, i in starts)
        for i, (c, p) in enumerate(zip(prepared.text, prepared.pinyin, strict=True))
    ]
    symbols = phonemes(readings)
    assert symbols[:9] == ["sil", "j", "i4", "#0", "d", "i4", "#0", "p", "i4"]
    assert "#1" in symbols
    spelled = speak("GDP增长了", find_voice("baker"), engine)
    bare = speak("增长了", find_voice("baker"), engine)
    assert spelled.duration > bare.duration + 0.4


def test_a_take_vocoded_in_pieces_side_by_side_has_the_very_same_samples() -> None:
    voice = find_voice("baker")
    long_text = "辽水之畔，营口之滨，这座城市正聆听着一场关乎振兴与未来的宏大叙事，国庆金秋，故事会拉开帷幕。"
    whole, pieces = BakerEngine(threads=1), BakerEngine(threads=1)
    pieces.spread(3)
    for text in (long_text, TEXT):
        one, three = whole.synthesize(text, voice), pieces.synthesize(text, voice)
        assert len(one.samples) > 0 and np.array_equal(one.samples, three.samples)
    assert len(whole.synthesize(long_text, voice).samples) > 3 * 200 * 300  # long enough to be cut in three
