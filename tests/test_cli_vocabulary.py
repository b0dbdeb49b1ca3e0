"""One meaning per flag across commands (DESIGN.md, "One vocabulary"), old spellings deprecated."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from hopfield.cli import app

runner = CliRunner()
COMMANDS = ("demo", "capacity", "basins", "noise", "landscape", "reproduce")


def _help(command: str) -> str:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_flags_not_python_types(command):
    text = _help(command)
    assert "<bool>" not in text and "<list[str]>" not in text
    assert "-o, --output" in text  # every command that writes a file
    assert "--out " not in text  # the deprecated spelling is hidden


@pytest.mark.parametrize("command", ("capacity", "basins", "noise", "landscape"))
def test_sweeps_share_model_rule_neurons_and_count(command):
    text = _help(command)
    assert "--model" in text and "--rule" in text and "-n, --n" in text
    if command != "capacity":  # capacity counts patterns by load
        assert "-k, --count" in text
    assert "Model family" in text


def test_old_spellings_still_work_and_say_what_replaces_them(tmp_path):
    result = runner.invoke(
        app,
        ["landscape", "--n", "6", "--k", "2", "--model", "storkey", "--out", str(tmp_path / "l")],
    )
    assert result.exit_code == 0, result.output
    for old, new in (("--out", "--output"), ("--k", "--count"), ("--model storkey", "--rule")):
        assert f"{old} is deprecated" in result.stderr and f"use {new}" in result.stderr
    assert (tmp_path / "l.csv").is_file()
    same = runner.invoke(
        app, ["landscape", "-n", "6", "-k", "2", "--rule", "storkey", "-o", str(tmp_path / "m")]
    )
    assert same.exit_code == 0 and "deprecated" not in same.stderr
    assert (tmp_path / "l.csv").read_text() == (tmp_path / "m.csv").read_text()


@pytest.mark.parametrize(
    ("args", "flag", "absent"),
    [
        (["demo", "--rule", "hebb"], "--rule", "value: rule:"),
        (["demo", "--update", "stochastic"], "--update stochastic", "update='stochastic'"),
        (["capacity", "--model", "rpoly:3", "--rule", "storkey"], "--rule", "value: rule:"),
        (["capacity", "--rule", "hebb"], "did you mean 'hebbian'", "value: rule:"),
        (["capacity", "--model", "hebian"], "did you mean --rule hebbian", "value: rule:"),
        (["basins", "--update", "stoch", "--workers", "1"], "--update", "value: update:"),
    ],
)
def test_errors_name_flags(args, flag, absent):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert flag in result.stderr and absent not in result.stderr
    assert "Traceback" not in result.output
