import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from audiobook.cli import app

runner = CliRunner()


def test_plan_json_matches_the_reference_structure(reference_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(reference_path), "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["title"] == "红旗照亮振兴路同心筑势立潮头"
    assert plan["byline"] == "海丹青"
    assert len(plan["captions"]) == 4
    assert len(plan["chapters"]) == 6
    kinds = {s["kind"] for c in plan["chapters"] for s in c["segments"]}
    assert kinds == {"title", "caption", "heading", "paragraph", "verse", "quote"}
    quotes = [s for c in plan["chapters"] for s in c["segments"] if s["kind"] == "quote"]
    assert all("speaker" in s for s in quotes)


def test_plan_tree_shows_chapters_with_estimates(reference_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(reference_path)])
    assert result.exit_code == 0
    assert "榜样的力量" in result.stdout and "segments" in result.stdout
    assert "6 chapters" in result.stdout


def test_plan_reads_standard_input(reference_path: Path) -> None:
    result = runner.invoke(app, ["plan", "-", "--json"], input=reference_path.read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "红旗照亮振兴路同心筑势立潮头"


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    binary = tmp_path / "x.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    proc = subprocess.run(
        [sys.executable, "-m", "audiobook.cli", "plan", str(binary)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "binary" in proc.stderr
    assert "Traceback" not in proc.stderr
