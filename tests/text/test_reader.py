from pathlib import Path

import pytest

from audiobook.errors import InputError
from audiobook.text.reader import SourceFormat, decode, read_source

TEXT = "# 标题\n\n营口之滨，辽水之畔。“振兴号”就此起航！\n"


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
        ("gb18030", TEXT.encode("gb18030")),
        ("gb18030", TEXT.encode("gbk")),
        ("utf-16", TEXT.encode("utf-16")),
        ("utf-16-le", TEXT.encode("utf-16-le")),
        ("utf-16-be", TEXT.encode("utf-16-be")),
    ],
)
def test_every_supported_encoding_decodes_to_the_same_text(encoding: str, data: bytes) -> None:
    text, detected = decode(data)
    assert text.lstrip("\ufeff") == TEXT
    assert detected.startswith(encoding.split("-")[0])


def test_format_comes_from_the_suffix(tmp_path: Path) -> None:
    for suffix, fmt in [
        (".md", SourceFormat.MARKDOWN),
        (".txt", SourceFormat.TEXT),
        (".html", SourceFormat.HTML),
        (".htm", SourceFormat.HTML),
    ]:
        path = tmp_path / f"a{suffix}"
        path.write_text(TEXT, encoding="utf-8")
        assert read_source(path).format is fmt


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_source(path)


def test_missing_file_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "missing.txt")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match="unsupported file type"):
        read_source(tmp_path / "a.pdf")
