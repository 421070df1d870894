"""Subtitles: SRT, WebVTT (with voice tags for quoted speakers) and LRC, one cue per sentence."""

from __future__ import annotations

from audiobook.edition import Cue


def _clock(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def to_srt(cues: list[Cue]) -> str:
    blocks = [
        f"{i}\n{_clock(c.start, ',')} --> {_clock(c.end, ',')}\n{c.text}\n" for i, c in enumerate(cues, 1)
    ]
    return "\n".join(blocks)


def _escape_vtt(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: list[Cue]) -> str:
    lines = ["WEBVTT", ""]
    for i, cue in enumerate(cues, 1):
        text = _escape_vtt(cue.text)
        if cue.speaker:
            text = f"<v {_escape_vtt(cue.speaker)}>{text}</v>"
        lines += [f"c{i}", f"{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}", text, ""]
    return "\n".join(lines)


def to_lrc(cues: list[Cue], title: str = "", artist: str = "") -> str:
    lines = []
    if title:
        lines.append(f"[ti:{title}]")
    if artist:
        lines.append(f"[ar:{artist}]")
    for cue in cues:
        centis = round(cue.start * 100)
        minutes, rest = divmod(centis, 6000)
        lines.append(f"[{minutes:02d}:{rest // 100:02d}.{rest % 100:02d}]{cue.text}")
    return "\n".join(lines) + "\n"
