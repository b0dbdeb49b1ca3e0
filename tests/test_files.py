"""Written files: no folder is created unasked, and a replaced file is reported."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import hopfield as hf
from hopfield.cli import app

runner = CliRunner()


def test_save_refuses_a_missing_folder_and_creates_nothing(tmp_path):
    net = hf.Hopfield().store(hf.patterns.random(3, 16, rng=0))
    missing = tmp_path / "no" / "such"
    with pytest.raises(FileNotFoundError, match="no such folder") as err:
        hf.save(net, missing / "net.npz")
    assert err.value.filename == str(missing)
    assert list(tmp_path.iterdir()) == []
    assert hf.save(net, tmp_path / "net.npz").is_file()  # an existing folder is fine


def test_figures_and_checkpoints_refuse_a_missing_folder(tmp_path):
    from matplotlib.figure import Figure

    with pytest.raises(FileNotFoundError, match="no such folder"):
        hf.plot.save_figure(Figure(), tmp_path / "no" / "f.png")
    with pytest.raises(ValueError, match="checkpoint: folder .* does not exist"):
        hf.experiments.capacity(
            hf.Hopfield, n=16, loads=[0.1], trials=1, executor="serial", progress=False,
            checkpoint=tmp_path / "no" / "c.json",
        )
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_refuses_a_missing_folder(tmp_path):
    target = tmp_path / "nonexistent" / "dir" / "x"
    result = runner.invoke(app, ["landscape", "-n", "6", "-k", "2", "-o", str(target)])
    assert result.exit_code == 2
    assert "--output" in result.stderr and "no such folder" in result.stderr
    assert str(target.parent) in result.stderr
    assert not (tmp_path / "nonexistent").exists()


def test_the_command_line_says_which_files_it_replaced(tmp_path):
    out = tmp_path / "l"
    first = runner.invoke(app, ["landscape", "-n", "6", "-k", "2", "-o", str(out)])
    assert first.exit_code == 0 and "replaced" not in first.output
    second = runner.invoke(app, ["landscape", "-n", "6", "-k", "2", "-o", str(out)])
    assert second.exit_code == 0
    lines = [line for line in second.output.splitlines() if "replaced the file" in line]
    assert len(lines) == 2 and "l.csv" in lines[0] and "l.png" in lines[1]
