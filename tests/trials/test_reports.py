"""Reports: the Markdown in the report's order, the workbook's notes and print setup,
the forest plot, and files readable by colleagues."""

import dataclasses
import os
import re

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from trials.analysis import analyse
from trials.commands import trials
from trials.data import load_data, prepare
from trials.forest import forest_rows
from trials.markdown import table_markdown
from trials.report import P_FORMAT, notes_table, write_workbook
from trials.spec import Outcome, Spec, load_spec

EXPERIMENTS = ("symbolic_awards", "swing", "mod_ing", "joint_separate", "blinding")


def invoke(*args):
    return CliRunner().invoke(trials, [str(a) for a in args])


@pytest.fixture(scope="module")
def quick_results(fixture_path):
    """Every experiment analysed without RI, to keep the tests fast."""
    out = {}
    for name in EXPERIMENTS:
        spec = dataclasses.replace(load_spec(name), ri_draws=0)
        out[name] = analyse(load_data(fixture_path(name), spec))
    return out


def test_run_writes_the_report_in_order_with_figures(tmp_path, fixture_path):
    old = os.umask(0o022)
    try:
        result = invoke(
            "run", "symbolic_awards", fixture_path("symbolic_awards"), "--out", tmp_path
        )
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "symbolic_awards_results.md").read_text()
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
    assert all((tmp_path / image).stat().st_size > 10_000 for image in images)
    assert "nan" not in text.replace("Finance", "")
    for path in tmp_path.iterdir():
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

    record = json.loads(result.output)[0]
    assert 0 <= record["p_wild"] <= 1
    assert record["ci_low_wild"] < record["estimate"] < record["ci_high_wild"]


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
