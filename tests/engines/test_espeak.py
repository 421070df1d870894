from audiobook.engines.espeak import EspeakEngine
from audiobook.speech import speak
from audiobook.voices import find_voice
from tests.audio_checks import dominant_pitch_hz, voiced_fraction

TEXT = "思想是行动的先导，如同灯塔指引航船。"


def test_espeak_speaks_mandarin_with_variants() -> None:
    engine = EspeakEngine()
    male = speak(TEXT, find_voice("espeak-cmn-male"), engine)
    female = speak(TEXT, find_voice("espeak-cmn-female"), engine)
    slow = speak(TEXT, find_voice("espeak-cmn-slow"), engine)
    assert male.sample_rate == 22050
    assert 2.0 < male.duration < 10.0
    assert voiced_fraction(male.samples, male.sample_rate) > 0.5
    assert slow.duration > male.duration * 1.15
    assert dominant_pitch_hz(female.samples, 22050) > dominant_pitch_hz(male.samples, 22050) * 1.2
    assert engine.version
