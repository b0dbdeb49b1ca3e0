import json
from concurrent.futures import ThreadPoolExecutor

import matplotlib.image
import numpy as np
import pytest

from hopfield import patterns as hf_patterns
from hopfield import reproduce
from hopfield.reproduce import Check, Measured, Result, Spec
from hopfield.reproduce._core import at_least, at_most, close, equal, figure

# One or two results from every family; each runs in a second or two in quick mode. The slow
# rest (ags-capacity, the perceptron, sequence-memory, ...) run in two processes in
# test_the_rest_of_the_quick_suite_reproduces, so that every registered result is tested.
SUBSET = [
    "mceliece-exact-recall",
    "hopfield-1982-bit-errors",
    "rule-capacities",
    "pseudoinverse-basins",
    "dense-capacity-formula",
    "dense-xor",
    "modern-energy-bounds",
    "modern-fixed-point-types",
    "modern-capacity-theorem",
    "sparsemax-exact-retrieval",
    "hidden-neuron-limits",
    "bam-worked-example",
]


@pytest.fixture(scope="module")
def subset_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return reproduce.run(quick=True, only=SUBSET, out=out, progress=False, seed=0)


def test_the_quick_subset_reproduces_every_reference_value(subset_report):
    failed = {
        r.name: r.error or [(c.quantity, c.measured, c.tolerance) for c in r.checks if not c.passed]
        for r in subset_report.failed
    }
    assert subset_report.passed, failed
    assert [r.name for r in subset_report.results] == SUBSET
    assert all(r.verdict == "pass" and len(r.checks) >= 2 for r in subset_report.results)


def test_the_report_folder_has_the_table_the_figures_and_the_json(subset_report):
    out = subset_report.out
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "| result | source | reference | kind | measured | tolerance | verdict |" in text
    for r in subset_report.results:
        for c in r.checks:
            kind = f"{c.kind}: {c.where}" if c.where else c.kind
            row = f"| **{r.name}**: {c.quantity} | {r.source} | {c.reference} | {kind} |"
            assert row in text
        image = matplotlib.image.imread(out / f"{r.name}.png")
        assert image.shape[0] > 300 and image.shape[1] > 500
        assert f"![{r.title}]({r.name}.png)" in text
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["passed"] is True and data["mode"] == "quick"
    assert [d["name"] for d in data["results"]] == SUBSET
    assert all(
        d["verdict"] == "pass" and d["figure"] == f"{d['name']}.png" for d in data["results"]
    )
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no temporary files


def test_published_constants_are_the_papers(subset_report):
    by_name = {r.name: r for r in subset_report.results}
    theorem = by_name["modern-capacity-theorem"].checks
    assert [c.reference for c in theorem[:2]] == ["3.1546", "1.3718"]
    assert [c.kind for c in theorem[:2]] == ["published", "published"]
    assert abs(theorem[0].measured_value - 3.1546) < 1e-4
    assert abs(theorem[1].measured_value - 1.3718) < 1e-4
    formula = by_name["dense-capacity-formula"].checks[:3]
    assert [round(c.measured_value) for c in formula] == [11, 362, 7238]


def _fake(name: str, passed: bool) -> Spec:
    def measure(quick, rng):
        fig = figure()
        fig.subplots().plot([0, 1], [0, 1])
        check = close("x", 1.0, 1.0 if passed else 2.0, atol=0.1, kind="theory", where="f")
        return Measured([check], fig, "fake")

    return Spec(name, f"fake {name}", "nobody 2024", measure)


def _raises(quick, rng):
    raise RuntimeError("the measurement broke")


def test_one_failing_or_crashing_result_fails_the_whole_report(tmp_path):
    results = {
        "good": _fake("good", True),
        "bad": _fake("bad", False),
        "crash": Spec("crash", "crashes", "nobody", _raises),
    }
    seen = []
    report = reproduce.run(out=tmp_path, results=results, progress=seen.append)
    assert not report.passed
    assert [r.name for r in report.failed] == ["bad", "crash"]
    assert [r.name for r in seen] == ["good", "bad", "crash"]
    crash = report.results[2]
    assert crash.title == "crashes" and "the measurement broke" in crash.error
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| **bad**: x | nobody 2024 | 1 | theory: f | 2 | ± 0.1 | **FAIL** |" in text
    assert "RuntimeError: the measurement broke" in text
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert data["passed"] is False
    assert [d["verdict"] for d in data["results"]] == ["pass", "fail", "fail"]
    assert (tmp_path / "good.png").exists() and not (tmp_path / "crash.png").exists()


def test_a_result_with_no_checks_does_not_pass():
    assert not Result("empty", "no checks", "nobody").passed


def test_check_helpers_apply_the_stated_tolerance():
    t = {"kind": "theory"}
    assert close("q", 0.95, 0.91, atol=0.05, **t).passed
    assert not close("q", 0.95, 0.89, atol=0.05, **t).passed
    c = close("q", 60, 84, rtol=0.4, **t)
    assert c.passed and c.tolerance == "± 40 % (relative)"
    assert close("q", 1.0, 1.0, atol=0.0, **t).tolerance == "exact"
    assert at_least("q", 0.9, 0.9, reference="most", **t).passed
    assert not at_most("q", 0.5, 0.51, reference="few", **t).passed
    assert equal("q", 0, 0, **t).passed and not equal("q", True, False, **t).passed
    with pytest.raises(ValueError, match="exactly one of atol and rtol"):
        close("q", 1.0, 1.0, **t)


def test_each_result_has_its_own_deterministic_generator():
    one = reproduce.run(only=["dense-xor", "pseudoinverse-basins"], out=None, progress=False)
    alone = reproduce.run(only=["pseudoinverse-basins"], out=None, progress=False)
    other = reproduce.run(only=["pseudoinverse-basins"], out=None, progress=False, seed=5)
    assert one.results[1].checks == alone.results[0].checks
    assert other.results[0].checks != alone.results[0].checks


def test_an_executor_runs_the_results_and_keeps_the_order(tmp_path):
    only = ["sparsemax-exact-retrieval", "modern-capacity-theorem"]
    with ThreadPoolExecutor(2) as pool:
        report = reproduce.run(only=only, out=tmp_path, executor=pool, progress=False)
    serial = reproduce.run(only=only, out=None, progress=False)
    assert report.passed and [r.name for r in report.results] == only
    assert [r.checks for r in report.results] == [r.checks for r in serial.results]


def test_a_dask_cluster_runs_the_results():
    distributed = pytest.importorskip("distributed")
    only = ["modern-capacity-theorem", "sparsemax-exact-retrieval"]
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        report = reproduce.run(only=only, out=None, executor=client, progress=False)
    assert report.passed and [r.name for r in report.results] == only
    assert all(r.figure is not None for r in report.results)  # figures travel back


def test_bad_input_is_refused_with_the_arguments_name():
    with pytest.raises(
        ValueError, match=r"only: unknown option 'dense-xr'.*did you mean 'dense-xor'"
    ):
        reproduce.run(only=["dense-xr"], out=None)
    with pytest.raises(ValueError, match="ags-capacity"):  # the message lists the valid names
        reproduce.run(only=["nothing-like-it"], out=None)
    with pytest.raises(ValueError, match="only: expected at least one"):
        reproduce.run(only=[], out=None)
    with pytest.raises(TypeError, match="quick"):
        reproduce.run(quick="yes", out=None)
    with pytest.raises(TypeError, match="executor"):
        reproduce.run(only=["dense-xor"], executor=4, out=None)
    with pytest.raises(ValueError, match="seed"):
        reproduce.run(only=["dense-xor"], seed=-1, out=None)
    with pytest.raises(TypeError, match="progress"):
        reproduce.run(only=["dense-xor"], progress="loud", out=None)


def test_the_registry_names_every_result_once_with_a_source():
    names = reproduce.names()
    assert len(names) == len(set(names)) >= 18
    assert names[0] == "ags-capacity" and names[-1] == "bam-worked-example"
    for name, spec in reproduce.REGISTRY.items():
        assert spec.name == name and spec.title and spec.source
    assert isinstance(reproduce.Check("q", "1", "1", "exact", True), Check)
    assert np.all([callable(spec) for spec in reproduce.REGISTRY.values()])


def test_every_check_says_what_kind_of_reference_it_is():
    with pytest.raises(ValueError, match="kind"):
        close("q", 1.0, 1.0, atol=0.1, kind="folklore")
    with pytest.raises(ValueError, match="where"):
        close("q", 1.0, 1.0, atol=0.1, kind="published")
    # Sanity checks alone are no evidence: a result needs at least one real check to pass.
    sanity = close("q", 1.0, 1.0, atol=0.1, kind="sanity")
    assert not sanity.evidence and sanity.passed
    assert not Result("r", "t", "s", checks=[sanity]).passed
    real = close("q", 1.0, 1.0, atol=0.1, kind="reference simulation", where="x")
    assert Result("r", "t", "s", checks=[sanity, real]).passed
    assert not Result("r", "t", "s", checks=[real, equal("i", 1, 2, kind="sanity")]).passed


def test_the_report_lists_kinds_sanity_checks_apart_and_its_cost(subset_report):
    text = (subset_report.out / "report.md").read_text(encoding="utf-8")
    table, _, rest = text.partition("## Sanity checks")
    for r in subset_report.results:
        for c in r.checks:
            assert (f"| **{r.name}**: {c.quantity} |" in table) == c.evidence
            assert c.kind in reproduce.KINDS and (c.kind != "published" or c.where)
    assert "peak memory" in text and subset_report.peak_mib > 0
    data = json.loads((subset_report.out / "results.json").read_text(encoding="utf-8"))
    assert data["peak_mib"] > 0 and all(d["peak_mib"] > 0 for d in data["results"])
    assert all(c["kind"] in reproduce.KINDS for d in data["results"] for c in d["checks"])


def test_hopfield_1982_counts_ties_exactly():
    # Hopfield's 0/1 network in integers: T = Σ (2V−1)(2V−1)ᵀ, zero diagonal, u = T V; a bit
    # errs when V_i = 1 and u_i < 0 or V_i = 0 and u_i > 0 (u_i = 0 keeps it).
    from hopfield.reproduce.classical import _bit_errors

    rng = np.random.default_rng(3)
    ties = 0
    for _ in range(40):
        x = hf_patterns.random(10, 100, rng=rng)
        t = x.astype(np.int64).T @ x.astype(np.int64)
        np.fill_diagonal(t, 0)
        v = (x.astype(np.int64) + 1) // 2
        u = v @ t
        expected = ((v == 1) & (u < 0)) | ((v == 0) & (u > 0))
        ties += int((u == 0).sum())
        np.testing.assert_array_equal(_bit_errors(x, zero_one=True), expected)
        h = x.astype(np.int64) @ t
        np.testing.assert_array_equal(_bit_errors(x, zero_one=False), h * x < 0)
    assert ties > 100  # the draw has ties, which the inexact bias used to count as errors


def test_rule_capacities_compare_the_most_patterns_capacity():
    report = reproduce.run(only=["rule-capacities"], out=None, progress=False)
    hebb, storkey = report.results[0].checks[:2]
    assert "90 %" in hebb.quantity and hebb.reference_value == pytest.approx(10.857, abs=1e-3)
    assert storkey.reference_value == pytest.approx(32.95, abs=0.01)


# The results SUBSET leaves out (the slow ones), run in two processes: with the subset, every
# registered result runs in the tests.
REST = [n for n in reproduce.names() if n not in SUBSET]


def test_the_rest_of_the_quick_suite_reproduces():
    from hopfield.experiments import process_pool

    assert len(REST) >= 6
    with process_pool(2) as pool:
        report = reproduce.run(quick=True, only=REST, out=None, executor=pool, progress=False)
    failed = {
        r.name: r.error or [(c.quantity, c.measured, c.tolerance) for c in r.checks if not c.passed]
        for r in report.failed
    }
    assert report.passed, failed
    assert [r.name for r in report.results] == REST
    assert all(any(c.evidence for c in r.checks) for r in report.results)
