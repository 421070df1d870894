import time

import pytest

from audiobook.engines.edge import EdgeEngine, EdgeSettings
from audiobook.errors import SynthesisError
from audiobook.voices import Prosody, Voice, find_voice
from tests.edge_standin import EdgeStandIn

TEXT = "营口之滨，辽水之畔。"


def _engine(server: EdgeStandIn, retries: int = 3, timeout: int = 2) -> EdgeEngine:
    return EdgeEngine(
        settings=EdgeSettings(
            endpoint=server.endpoint,
            retries=retries,
            backoff_s=0.01,
            receive_timeout_s=timeout,
            connect_timeout_s=2,
        )
    )


def test_real_client_gets_audio_and_sentence_boundaries() -> None:
    voice = find_voice("zh-CN-liaoning-XiaobeiNeural")
    voice = Voice(**{**voice.__dict__, "prosody": Prosody(rate=1.1, pitch=-2.0, volume=0.9)})
    with EdgeStandIn() as server:
        take = _engine(server).synthesize(TEXT, voice)
    assert take.sample_rate == 24000
    assert abs(take.duration - 0.2 * len(TEXT)) < 0.2
    assert take.timings[0].text == TEXT and 0 < take.timings[0].start < take.timings[0].end <= take.duration
    ssml = server.requests[0]["ssml"]
    assert "(zh-CN-liaoning, XiaobeiNeural)" in ssml
    assert "rate='+10%'" in ssml and "volume='-10%'" in ssml and "pitch='-22Hz'" in ssml


@pytest.mark.parametrize("failure", ["403", "429", "drop", "silence", "reset", "slow"])
def test_each_service_failure_is_retried(failure: str) -> None:
    # The 403 is retried twice: once by edge_tts itself (clock skew), once by us.
    script = [failure, failure] if failure == "403" else [failure]
    with EdgeStandIn(script=script, slow_s=3) as server:
        take = _engine(server, timeout=1).synthesize(TEXT, find_voice("zh-CN-XiaoxiaoNeural"))
    assert take.duration > 1.5
    assert server.connections >= 2


def test_after_the_last_retry_one_line_names_the_segment() -> None:
    with EdgeStandIn(script=["429"] * 10) as server:
        started = time.monotonic()
        with pytest.raises(SynthesisError) as error:
            _engine(server, retries=2).synthesize(TEXT, find_voice("zh-CN-XiaoxiaoNeural"))
    message = str(error.value)
    assert "\n" not in message and "营口之滨" in message and "3 tries" in message and "429" in message
    assert server.connections == 3
    assert time.monotonic() - started < 10


def test_a_forbidden_token_is_refused_like_the_service() -> None:
    with EdgeStandIn() as server:
        engine = EdgeEngine(
            settings=EdgeSettings(
                endpoint=server.endpoint.replace("readaloud", "nowhere"), retries=0, backoff_s=0.01
            )
        )
        with pytest.raises(SynthesisError, match="HTTP 404"):
            engine.synthesize(TEXT, find_voice("zh-CN-XiaoxiaoNeural"))
