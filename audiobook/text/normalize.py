"""Text normalization: numbers and symbols written out the way a Mandarin newsreader reads them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

DIGITS = "零一二三四五六七八九"
# Broadcasters read 1 as 幺 in phone numbers, so that it is not heard as 七.
PHONE_DIGITS = "零幺二三四五六七八九"
_RANGE_SEP = r"\s*[-–—～~至到]\s*"
_NUMBER = r"\d+(?:\.\d+)?"


def digits(text: str, one: str = "一") -> str:
    return "".join(one if ch == "1" else DIGITS[int(ch)] if ch.isdigit() else ch for ch in text)


def cardinal(number: str) -> str:
    """224 -> 二百二十四, 1.5 -> 一点五, 0.05 -> 零点零五."""
    number = number.replace(",", "")
    if "." in number:
        whole, frac = number.split(".", 1)
        return cardinal(whole) + "点" + digits(frac)
    if len(number) > 1 and number.startswith("0"):
        return digits(number)
    if len(number) > 12:
        return digits(number)
    import cn2an  # here, not at the top: it takes 0.15 s to load, and most rebuilds never need it

    spoken = str(cn2an.an2cn(number, "low"))
    # 2000 -> 两千, 20000 -> 两万: the way numbers are said, while 200 stays 二百.
    return "两" + spoken[1:] if spoken[:2] in ("二千", "二万", "二亿") else spoken


def _year(match: re.Match[str]) -> str:
    return digits(match.group(1)) + match.group(2)


def _year_range(match: re.Match[str]) -> str:
    return digits(match.group(1)) + "至" + digits(match.group(2))


def _quantity_range(match: re.Match[str]) -> str:
    return cardinal(match.group(1)) + "到" + cardinal(match.group(2))


def _percent(match: re.Match[str]) -> str:
    low, high = match.group(1), match.group(2)
    if high:
        return "百分之" + cardinal(low) + "到百分之" + cardinal(high)
    return "百分之" + cardinal(low)


def _phone(match: re.Match[str]) -> str:
    return digits(re.sub(r"[-\s]", "", match.group(0)), one="幺")


def _time(match: re.Match[str]) -> str:
    hours, minutes = match.group(1), match.group(2)
    spoken = cardinal(str(int(hours))) + "点"
    return spoken + (
        "整"
        if minutes == "00"
        else ("零" if minutes.startswith("0") else "") + cardinal(str(int(minutes))) + "分"
    )


def _fraction(match: re.Match[str]) -> str:
    return cardinal(match.group(2)) + "分之" + cardinal(match.group(1))


def _temperature(match: re.Match[str]) -> str:
    sign = "零下" if match.group(1) else ""
    return sign + cardinal(match.group(2)) + "摄氏度"


def _degrees(match: re.Match[str]) -> str:
    return cardinal(match.group(1)) + "度"


def _number(match: re.Match[str]) -> str:
    return cardinal(match.group(0))


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    replace: Callable[[re.Match[str]], str]


# Order matters: the specific forms (phones, years, ranges) before plain numbers.
RULES: tuple[_Rule, ...] = (
    _Rule("id number", re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), lambda m: digits(m.group(0), "幺")),
    _Rule(
        "phone", re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-\d{7,8}|\d{3,4}-\d{3,4}-\d{4})(?!\d)"), _phone
    ),
    _Rule(
        "year range",
        re.compile(r"(?<!\d)((?:1[6-9]|20)\d{2})" + _RANGE_SEP + r"((?:1[6-9]|20)\d{2})(?!\d)"),
        _year_range,
    ),
    _Rule("year", re.compile(r"(?<!\d)(\d{2,4})(年(?!龄|级|纪|薪|度?[以之]?[内外]?[的]?[人岁]))"), _year),
    _Rule("percent", re.compile(rf"({_NUMBER})%?(?:{_RANGE_SEP}({_NUMBER}))?%"), _percent),
    _Rule("time", re.compile(r"(?<!\d)([01]?\d|2[0-3])[:：]([0-5]\d)(?!\d)"), _time),
    _Rule("temperature", re.compile(rf"(零下-?|-)?({_NUMBER})\s*(?:℃|°C)"), _temperature),
    _Rule("degrees", re.compile(rf"({_NUMBER})\s*°"), _degrees),
    _Rule("fraction", re.compile(r"(?<![\d/])(\d+)/(\d+)(?![\d/])"), _fraction),
    _Rule("range", re.compile(rf"({_NUMBER}){_RANGE_SEP}({_NUMBER})(?=[^\d\s年.])"), _quantity_range),
    _Rule("grouped", re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"), _number),
    _Rule("number", re.compile(_NUMBER), _number),
)


@dataclass(frozen=True)
class Replacement:
    """One written form and how it is read: for `audiobook check`."""

    rule: str
    written: str
    spoken: str


def normalize(text: str) -> str:
    return normalize_with_report(text)[0]


def normalize_with_report(text: str) -> tuple[str, list[Replacement]]:
    """The text with every number written out, and what was replaced."""
    report: list[Replacement] = []
    for rule in RULES:

        def apply(match: re.Match[str], rule: _Rule = rule) -> str:
            spoken = rule.replace(match)
            report.append(Replacement(rule.name, match.group(0), spoken))
            return spoken

        text = rule.pattern.sub(apply, text)
    return text, report
