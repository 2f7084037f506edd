"""`newsdigest eval` on the labelled development set: the report's shape and the targets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"


def run_eval(labels: Path, *corpus: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """`newsdigest eval --labels LABELS CORPUS...` in a fresh interpreter."""
    command = [sys.executable, "-m", "bot.cli", "eval", "--labels", str(labels), *corpus]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def test_eval_reports_scores_that_meet_the_targets() -> None:
    corpus = sorted(str(path) for path in DATA.glob("*.txt"))
    result = run_eval(DATA / "dev-labels.json", *corpus, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {
        "articles",
        "regions",
        "topics",
        "language",
        "duplicates",
        "urgent",
        "errors",
    }
    assert report["articles"] == len(json.loads((DATA / "dev-labels.json").read_text("utf-8")))
    assert report["regions"]["f1"] >= 0.95
    assert report["topics"]["f1"] >= 0.85
    assert report["language"]["accuracy"] >= 0.98
    assert report["duplicates"]["precision"] == 1.0
    assert report["duplicates"]["recall"] >= 0.9  # cross-language pairs included
    assert report["urgent"]["precision"] >= 0.95  # a false alert teaches readers to mute the bot
    assert report["urgent"]["recall"] >= 0.8
    assert report["urgent"]["labelled"] == report["articles"]
    for error in report["errors"]:
        assert {"file", "index", "field", "expected", "got"} <= set(error)


def test_eval_with_a_broken_labels_file_fails_clearly(tmp_path: Path) -> None:
    labels = tmp_path / "labels.json"
    labels.write_text('[{"file": "x.txt"}]', encoding="utf-8")
    result = run_eval(labels, str(DATA / "enbekshi-qazaq-business-2025-01-13.txt"), timeout=120)
    assert result.returncode == 2
    assert "label entry" in result.stderr
