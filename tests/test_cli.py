import subprocess
import sys

import matplotlib.image
import pytest

from hopfield.cli import _blocks


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-c", "from hopfield.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_demo_runs_recalls_every_letter_and_writes_its_figure(tmp_path):
    out = tmp_path / "figs" / "demo.png"
    proc = run("demo", "--output", str(out), "--seed", "3", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "6/6 letters recalled exactly" in proc.stdout
    assert str(out.resolve()) in proc.stdout
    image = matplotlib.image.imread(out)
    assert image.shape[0] > 200 and image.shape[1] > 600
    assert not list(out.parent.glob(".*"))  # no temporary file left behind


def test_demo_shows_hebb_failing_on_correlated_letters(tmp_path):
    proc = run("demo", "--rule", "hebbian", "--output", str(tmp_path / "d.png"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "0/6 letters recalled exactly" in proc.stdout


@pytest.mark.parametrize("model", ["dense", "modern"])
def test_demo_dense_and_modern_hold_all_letters_where_the_classical_net_fails(tmp_path, model):
    out = tmp_path / "demo.png"
    proc = run("demo", "--model", model, "--output", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "26/26 letters recalled exactly" in proc.stdout
    assert "(hebbian rule) recalls 0/26" in proc.stdout
    assert out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rule", "hebian"], "did you mean 'hebbian'"),
        (["--noise", "1.5"], "--noise"),
        (["--count", "0"], "--count"),
        (["--update", "stochastic"], "temperature"),
        (["--model", "dens"], "did you mean 'dense'"),
        (["--model", "modern", "--beta", "0"], "beta"),
    ],
)
def test_demo_refuses_bad_options_clearly(tmp_path, args, message):
    proc = run("demo", *args, "--output", str(tmp_path / "d.png"), cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert not (tmp_path / "d.png").exists()


def test_version_and_help(tmp_path):
    proc = run("--version", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("hopfield ")
    assert "demo" in run("--help", cwd=tmp_path).stdout


def test_half_block_rendering():
    import numpy as np

    image = np.array([[1, -1, 1, 0], [1, 1, -1, 1]])
    assert _blocks(image) == ["█▄▀░"]
