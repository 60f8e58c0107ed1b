"""The rota workbook shares its cell styles for speed, and is cell for cell the workbook
written before it did: every value, format, font, fill, border, alignment, comment,
merged cell, width, height, freeze pane, page break and print setting."""

import importlib.util
import json
from pathlib import Path


def _reference_module():
    """excel_reference.py, beside this file (the tests are not a package)."""
    path = Path(__file__).with_name("excel_reference.py")
    spec = importlib.util.spec_from_file_location("excel_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _differences(old: dict, new: dict, where: str = "") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        keys = list(dict.fromkeys([*old, *new]))
        return [d for k in keys for d in _differences(old.get(k), new.get(k), f"{where}/{k}")]
    return [] if old == new else [f"{where}: was {old!r}, now {new!r}"]


def test_the_workbook_is_cell_for_cell_the_one_written_before_styles_were_shared(tmp_path):
    module = _reference_module()
    reference = json.loads(module.REFERENCE.read_text())
    written = json.loads(json.dumps(module.write_reference(tmp_path)))  # tuples as JSON lists
    reference_styles, written_styles = reference.pop("styles"), written.pop("styles")
    for dump, styles in ((reference, reference_styles), (written, written_styles)):
        for sheet in dump["sheet"].values():  # each cell's style in words, not its number
            for cell in sheet["cells"].values():
                cell[2] = styles[cell[2]]
    differences = _differences(reference, written)
    assert not differences, "\n".join(differences[:20])
