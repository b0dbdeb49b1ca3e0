import subprocess
import sys

import matplotlib.image
import pytest

from hopfield.cli.demo import _blocks


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
    out.parent.mkdir()  # hopfield writes into folders, never creates them
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


def test_capacity_command_writes_table_and_figure(tmp_path):
    proc = run(
        "capacity",
        "--n",
        "100",
        "--loads",
        "0.05,0.3",
        "--trials",
        "2",
        "--workers",
        "1",
        "--out",
        str(tmp_path / "cap"),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    import pandas as pd

    df = pd.read_csv(tmp_path / "cap.csv")
    assert len(df) == 4 and set(df.load) == {0.05, 0.3}
    means = df.groupby("load")["overlap"].mean()
    assert means[0.05] > 0.99 and means[0.3] < 0.7  # the classical collapse
    assert (tmp_path / "cap.png").exists() and str(tmp_path / "cap.csv") in proc.stdout


def test_basins_command_on_a_dense_memory(tmp_path):
    proc = run(
        "basins",
        "--model",
        "rpoly:3",
        "--n",
        "60",
        "--k",
        "30",
        "--distances",
        "0,0.45",
        "--trials",
        "1",
        "--workers",
        "1",
        "--out",
        str(tmp_path / "b"),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    import pandas as pd

    df = pd.read_csv(tmp_path / "b.csv")
    assert df.set_index("distance")["recalled"].loc[0.0] == 1.0
    assert (tmp_path / "b.png").exists()


def test_landscape_command_counts_every_state(tmp_path):
    proc = run("landscape", "--n", "10", "--k", "2", "--out", str(tmp_path / "l"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    import pandas as pd

    df = pd.read_csv(tmp_path / "l.csv")
    assert df.basin_size.sum() == 2**10
    assert {"pattern", "reversal"} <= set(df.kind)
    assert (tmp_path / "l.png").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["capacity", "--model", "hebian"], "--model"),
        (["capacity", "--loads", "a,b"], "--loads"),
        (["capacity", "--loads", "0", "--workers", "1"], "loads"),
        (["basins", "--model", "exp:x"], "--model"),
        (["landscape", "--n", "30"], "20"),
    ],
)
def test_sweep_commands_refuse_bad_options(tmp_path, args, message):
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr


def test_reproduce_command_writes_the_report_and_exits_zero_when_all_pass(tmp_path):
    proc = run(
        "reproduce",
        "--quick",
        "--only",
        "dense-xor",
        "--only",
        "bam-worked-example",
        "--out",
        str(tmp_path / "report"),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "2/2 results within their stated tolerance" in proc.stdout
    assert "✓ dense-xor" in proc.stdout
    report = (tmp_path / "report" / "report.md").read_text()
    assert "| **bam-worked-example**" in report
    assert (tmp_path / "report" / "dense-xor.png").exists()


def test_reproduce_command_names_unknown_results(tmp_path):
    proc = run("reproduce", "--only", "mcelice", cwd=tmp_path)
    assert proc.returncode == 2 and "mceliece-exact-recall" in proc.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["demo", "--size", "256"], "--size"),
        (["demo", "--model", "dense", "--rule", "hebbian"], "--rule"),
        (["demo", "--model", "modern", "--update", "sync"], "--update"),
        (["demo", "--output", "/proc/no/such/dir/x.png"], "--output"),
        (["landscape", "--out", "/proc/no/such/dir/l"], "--out"),
    ],
)
def test_commands_refuse_options_that_cannot_apply(tmp_path, args, message):
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
