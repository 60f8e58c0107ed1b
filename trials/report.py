"""Writers: an Excel workbook (atomic) and a Markdown summary of a :class:`Results`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from trials.analysis import Results
from trials.formatting import format_cell

REPORT_COLUMNS = [
    "label",
    "contrast",
    "n_arm",
    "mean_arm",
    "se_arm",
    "n_vs",
    "mean_vs",
    "se_vs",
    "estimate",
    "ci_low",
    "ci_high",
    "p",
    "p_holm",
    "p_bh",
    "p_ri",
    "hedges_g",
    "flag",
]


def write_atomic(path: Path, writer) -> Path:
    """Call ``writer(tmp_path)`` then rename into place, so readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(handle)
    try:
        writer(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def write_workbook(results: Results, path: Path) -> Path:
    """One sheet per table, plus a sheet describing the spec."""

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as excel:
            about = pd.DataFrame(
                {
                    "key": ["experiment", "title", "design", "se", "note"],
                    "value": [
                        results.spec.name,
                        results.spec.title,
                        results.spec.design,
                        results.spec.se,
                        "p_ri: randomisation inference; p_holm/p_bh: "
                        "adjusted across the outcomes' contrasts",
                    ],
                }
            )
            about.to_excel(excel, sheet_name="about", index=False)
            for name, table in results.tables.items():
                table.to_excel(excel, sheet_name=name[:31], index=False)

    return write_atomic(path, write)


def _markdown(table: pd.DataFrame, digits: int = 3) -> str:
    header = "| " + " | ".join(map(str, table.columns)) + " |"
    rule = "| " + " | ".join("---" for _ in table.columns) + " |"
    lines = [header, rule]
    for row in table.itertuples(index=False):
        cells = [format_cell(c, v, digits) for c, v in zip(table.columns, row, strict=True)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown_report(results: Results) -> str:
    spec = results.spec
    parts = [
        f"# {spec.title}",
        "",
        f"Design: {spec.design}; standard errors: {spec.se}; "
        "95% intervals and p-values are t-based.",
        "",
        "## Effects (pre-specified)",
        "",
        _markdown(results.effects[[c for c in REPORT_COLUMNS if c in results.effects]]),
    ]
    for name, table in results.tables.items():
        if name == "effects":
            continue
        title = name.replace("_", " ").capitalize()
        if name == "attenuation":
            title += " (exploratory, not pre-specified)"
        parts += ["", f"## {title}", "", _markdown(table)]
    return "\n".join(parts) + "\n"


def write_markdown(results: Results, path: Path) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_text(markdown_report(results)))
