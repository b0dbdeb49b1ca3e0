"""``hopfield reproduce``: says what it runs, prints each result, ends with a short summary."""

from __future__ import annotations

from typer.testing import CliRunner

import hopfield.reproduce as suite
from hopfield.cli import app
from hopfield.reproduce import Check, Report, Result

runner = CliRunner()


def test_reproduce_announces_the_run_and_ends_with_a_summary_not_the_table(tmp_path):
    result = runner.invoke(
        app, ["reproduce", "--quick", "--only", "dense-xor", "-o", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Running 1 results at quick sizes; each prints as it finishes."
    assert lines[1].startswith("✓ dense-xor: ")
    assert "1/1 results within their stated tolerance" in result.stdout
    assert "| result |" not in result.stdout  # the table is in the report
    assert "| **dense-xor**" in (tmp_path / "r" / "report.md").read_text()


def test_a_failed_check_is_summarised_in_one_line(tmp_path, monkeypatch):
    bad = Check(
        "overlap at α = 0.14", "0.95", "0.50", "± 0.05", passed=False, kind="reference simulation"
    )
    good = Check("something else", "1", "1", "± 0", passed=True)
    failed = Result("ags-capacity", "AGS", "Amit et al. 1985", [bad, good], None, "", 1.0)

    def fake_run(*, progress, out, **_):
        progress(failed)
        return Report([failed], True, 0, 1.0, out=tmp_path)

    monkeypatch.setattr(suite, "run", fake_run)
    result = runner.invoke(app, ["reproduce", "--quick", "--only", "ags-capacity"])
    assert result.exit_code == 1
    assert (
        "✗ ags-capacity: overlap at α = 0.14: measured 0.50, reference simulation 0.95 (± 0.05)"
        in result.stdout
    )
    assert "something else" not in result.stdout
    assert "0/1 results within their stated tolerance" in result.stdout
