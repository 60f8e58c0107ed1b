"""Reports: the Markdown in the report's order, the workbook's notes and print setup,
the forest plot, and files readable by colleagues."""

import re

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from trials.analysis import analyse
from trials.commands import trials
from trials.data import prepare
from trials.forest import forest_rows
from trials.markdown import table_markdown
from trials.report import P_FORMAT, notes_table, write_workbook
from trials.spec import Outcome, Spec

EXPERIMENTS = ("symbolic_awards", "swing", "mod_ing", "joint_separate", "blinding")


def invoke(*args):
    return CliRunner().invoke(trials, [str(a) for a in args])


def test_run_writes_the_report_in_order_with_figures(shipped_run):
    result, folder = shipped_run("symbolic_awards")  # written under umask 022
    assert result.exit_code == 0, result.output
    text = (folder / "symbolic_awards_results.md").read_text()
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert [h.split(" ")[0] for h in headings] == [
        "Design",
        "Participant",
        "Balance",
        "Attrition",
        "Main",
        "Forest",
        "Attenuation",
        "Minimum",
    ]
    images = re.findall(r"!\[[^]]*\]\(([^)]+)\)", text)
    assert "symbolic_awards_consort.png" in images and "symbolic_awards_forest.png" in images
    assert all((folder / image).stat().st_size > 10_000 for image in images)
    assert "nan" not in text.replace("Finance", "")
    for path in folder.iterdir():
        assert path.stat().st_mode & 0o777 == 0o644, path


def test_markdown_keeps_words_that_contain_nan():
    table = pd.DataFrame({"label": ["Finance staff", "Maintenance"], "p": [0.0004, np.nan]})
    text = table_markdown(table, [("label", "Outcome", "text"), ("p", "p", "p")])
    assert "| Finance staff | < 0.001 |" in text
    assert "| Maintenance |  |" in text


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_notes_define_every_column(quick_results, name):
    notes = notes_table(quick_results[name])
    undefined = notes[notes["meaning"] == ""]
    assert undefined.empty, undefined.to_string()


def test_workbook_formats_and_print_setup(tmp_path, quick_results):
    path = write_workbook(quick_results["symbolic_awards"], tmp_path / "sa.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[0] == "About" and book.sheetnames[-1] == "Notes"
    effects = book["effects"]
    header = [c.value for c in effects[1]]
    assert effects.cell(2, header.index("p_holm") + 1).number_format == P_FORMAT
    assert effects.cell(2, header.index("n_arm") + 1).number_format == "#,##0"
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert "Holm" in about["multiplicity"] and "HC2" in about["model"]


def test_text_from_the_data_is_never_a_formula(tmp_path):
    frame = pd.DataFrame(
        {
            "id": range(8),
            "arm": ["a", "b"] * 4,
            "responded": [1, 1, 1, 1, 0, 0, 1, 1],
            "why": ["", "", "", "", "=HYPERLINK(1)", "-1+1", "", ""],
            "y": [1.0, 2, 3, 4, np.nan, np.nan, 5, 7],
        }
    )
    spec = Spec(
        name="t",
        title="T",
        design="two_arm",
        unit="id",
        treatment="arm",
        arms=("a", "b"),
        outcomes=(Outcome("y", "Score"),),
        responded="responded",
        lost_reason="why",
        ri_draws=0,
    )
    book = load_workbook(write_workbook(analyse(prepare(frame, spec)), tmp_path / "t.xlsx"))
    cells = [c for row in book["consort"].iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith(("=HYPERLINK", "-1+1"))]
    assert risky and all(c.data_type == "s" for c in risky)


def test_forest_rows_mark_primary_and_cover_every_contrast(quick_results):
    rows = forest_rows(*quick_results.values())
    assert len(rows) == sum(len(r.effects) for r in quick_results.values())
    assert rows["g"].notna().all() and (rows["g_low"] < rows["g"]).all()
    assert (rows["g"] < rows["g_high"]).all()
    assert set(rows.loc[rows["role"] == "primary", "row"]) >= {"Subjective well-being"}
    assert rows["row"].str.contains("lower is better").any()


def test_forest_command_writes_one_png(tmp_path, fixture_path):
    out = tmp_path / "forest.png"
    result = invoke(
        "forest",
        "mod_ing",
        fixture_path("mod_ing"),
        "blinding",
        fixture_path("blinding"),
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 10_000
    odd = invoke("forest", "mod_ing", "--out", out)
    assert odd.exit_code == 2 and "pairs" in odd.output


def test_estimate_with_the_wild_cluster_bootstrap(fixture_path):
    result = invoke(
        "estimate",
        fixture_path("joint_separate"),
        "--outcome",
        "progressed",
        "--treatment",
        "condition",
        "--reference",
        "separate",
        "--cluster",
        "participant",
        "--se",
        "CR2",
        "--wild-bootstrap",
        199,
        "--weights",
        "webb",
        "--json",
    )
    assert result.exit_code == 0, result.output
    import json

    document = json.loads(result.output)
    record = document["effects"][0]
    assert 0 <= record["p_wild"] <= 1
    assert record["ci_low_wild"] < record["estimate"] < record["ci_high_wild"]
    assert document["model"]["wild_bootstrap"] == 199
    assert document["model"]["wild_weights"] == "webb"


def test_wild_bootstrap_without_clusters_is_refused(fixture_path):
    result = invoke(
        "estimate",
        fixture_path("swing"),
        "--outcome",
        "wellbeing",
        "--treatment",
        "arm",
        "--wild-bootstrap",
        99,
    )
    assert result.exit_code == 2 and "cluster" in result.output


def _four_teams(tmp_path):
    """Four clusters, two per arm: no sign pattern of the wild bootstrap can reject."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "id": [f"u{i}" for i in range(20)],
            "team": np.repeat(["t0", "t1", "t2", "t3"], 5),
            "arm": np.repeat(["control", "coaching", "control", "coaching"], 5),
            "y": rng.normal(size=20),
        }
    )
    path = tmp_path / "four.csv"
    frame.to_csv(path, index=False)
    return path


def test_an_unbounded_wild_interval_is_written_unbounded(tmp_path):
    import json

    args = ["estimate", _four_teams(tmp_path), "--outcome", "y", "--treatment", "arm"]
    args += ["--cluster", "team", "--wild-bootstrap", 99]
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)["effects"][0]
    assert record["ci_low_wild"] == "unbounded" and record["ci_high_wild"] == "unbounded"
    assert record["p_wild"] >= 0.125 and "16 draws (every sign pattern)" in record["wild"]
    shown = invoke(*args)
    assert shown.exit_code == 0 and "unbounded" in shown.output
    assert not re.search(r"\binf\b", shown.output)
    table = pd.DataFrame({"ci_low_wild": [-np.inf, 0.5], "ci_high_wild": [np.inf, np.inf]})
    text = table_markdown(table, [(("ci_low_wild", "ci_high_wild"), "Wild 95% CI", "ci")])
    assert "| unbounded (too few clusters to reject) |" in text
    assert "| 0.500 to unbounded |" in text


def test_text_is_text_in_every_cell_and_heading(tmp_path):
    """A title, an arm, a heading or a reason that looks like a formula or an error value
    is written as text."""
    frame = pd.DataFrame(
        {
            "id": range(8),
            "arm": ["=b", "a"] * 4,
            "responded": [1, 1, 1, 1, 0, 0, 1, 1],
            "why": ["", "", "", "", "#N/A", "@cmd", "", ""],
            "y": [1.0, 2, 3, 4, np.nan, np.nan, 5, 7],
        }
    )
    spec = Spec(
        name="t",
        title="=SUM(1, 2)",
        design="two_arm",
        unit="id",
        treatment="arm",
        arms=("a", "=b"),
        outcomes=(Outcome("y", "Score"),),
        responded="responded",
        lost_reason="why",
        ri_draws=0,
    )
    book = load_workbook(write_workbook(analyse(prepare(frame, spec)), tmp_path / "t.xlsx"))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "#", "@"))]
    assert {"=SUM(1, 2)", "=b", "#N/A: 1", "@cmd: 1"} <= {c.value for c in risky}
    assert all(c.data_type == "s" for c in risky)
    assert not [c for c in cells if c.data_type in ("f", "e")]


def test_markdown_echoes_the_model(quick_results):
    from trials.markdown import markdown_report

    text = markdown_report(quick_results["mod_ing"])
    assert "Fitted, for each outcome:" in text
    assert "- wellbeing: OLS of wellbeing" in text
    assert "randomisation inference: not asked for" in text
