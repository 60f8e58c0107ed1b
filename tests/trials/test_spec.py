"""Specs are read exactly as written, or refused with every problem named at once."""

import tomllib

import pytest
from click.testing import CliRunner

from trials.commands import trials
from trials.errors import TrialError
from trials.schema import SPEC_KEYS, TABLES, markdown_table, template
from trials.spec import load_spec, parse_spec

MINIMAL = """
name = "t"
unit = "staff_id"
treatment = "arm"
arms = ["control", "treatment"]
[[outcomes]]
name = "wellbeing"
"""


def problems_of(text: str) -> str:
    with pytest.raises(TrialError) as caught:
        parse_spec(tomllib.loads(text))
    return str(caught.value)


def test_minimal_spec_takes_the_documented_defaults():
    spec = parse_spec(tomllib.loads(MINIMAL))
    assert spec.se == "HC2" and spec.lin is False and spec.strata == ()
    assert spec.ri_draws == 2000 and spec.outcomes[0].label == "wellbeing"
    assert spec.title == "t"


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ('lin = "false"', "lin must be true or false"),
        ('ri_draws = "2000"', "ri_draws must be a whole number"),
        ("ri_draws = 2000.0", "ri_draws must be a whole number"),
        ("seed = true", "seed must be a whole number"),
        ('covariates = "age"', "covariates must be a list"),
        ('se = "HC9"', "se must be one of HC0, HC1, HC2, HC3, CR1, CR2"),
        ("colour = 1", "unknown key 'colour'"),
        ("rI_draws = 5", "did you mean 'ri_draws'?"),
        ("min_responses = 5", "'min_responses' belongs in [attenuation]"),
    ],
)
def test_top_level_mistakes_are_named(extra, words):
    assert words in problems_of(MINIMAL.replace("[[outcomes]]", extra + "\n[[outcomes]]"))


def test_every_mistake_at_every_level_is_reported_at_once():
    text = MINIMAL.replace("[[outcomes]]", 'lin = "yes"\nstrata = 3\n[[outcomes]]') + (
        'lable = "Well-being"\nrole = "main"\n'
        "[factor]\ncolum = 'x'\nlevels = ['a', 'b']\n"
        "[attenuation]\ndate = 'd'\nopened = 'not a date'\nprespecified = 'no'\n"
    )
    message = problems_of(text)
    for words in [
        "lin must be",
        "strata must be",
        "[[outcomes]] #1 (wellbeing): unknown key 'lable' (did you mean 'label'?)",
        "role must be one of primary, secondary",
        "[factor]: unknown key 'colum' (did you mean 'column'?)",
        "[factor]: missing required key 'column'",
        "[attenuation]: opened must be a date",
        "[attenuation]: prespecified must be true or false",
    ]:
        assert words in message, words
    assert "has 8 problems" in message


@pytest.mark.parametrize("key", ["name", "unit", "treatment", "arms"])
def test_missing_required_key_is_named(key):
    lines = [line for line in MINIMAL.splitlines() if not line.startswith(f"{key} =")]
    assert f"missing required key {key!r}" in problems_of("\n".join(lines))


def test_no_outcomes_is_named():
    assert "no [[outcomes]] entry" in problems_of(MINIMAL.split("[[outcomes]]")[0])


def test_strata_may_be_one_name_or_a_list():
    one = parse_spec(tomllib.loads(MINIMAL.replace("[[outcomes]]", 'strata = "la"\n[[outcomes]]')))
    both = parse_spec(
        tomllib.loads(MINIMAL.replace("[[outcomes]]", 'strata = ["la", "x"]\n[[outcomes]]'))
    )
    assert one.strata == ("la",) and both.strata == ("la", "x")


def test_integer_arms_are_read_as_codes():
    spec = parse_spec(tomllib.loads(MINIMAL.replace('["control", "treatment"]', "[0, 1]")))
    assert spec.arms == ("0", "1") and spec.arm_codes


def test_mixed_arms_are_refused():
    assert "arms must be a list" in problems_of(MINIMAL.replace('"control"', "0"))


def test_key_and_cross_field_problems_come_in_one_pass():
    text = MINIMAL.replace("[[outcomes]]", 'lin = "no"\nse = "CR2"\n[[outcomes]]')
    message = problems_of(text)
    assert "has 2 problems" in message
    assert "lin must be true or false" in message and "cluster-robust" in message


def test_cross_field_rules_are_checked():
    text = MINIMAL.replace("[[outcomes]]", 'se = "CR2"\n[[outcomes]]')
    assert 'se CR2 is a cluster-robust standard error: add cluster = "COLUMN"' in problems_of(text)
    text = MINIMAL.replace("[[outcomes]]", 'cluster = "team"\n[[outcomes]]')
    assert "use CR1 or CR2" in problems_of(text)


def test_shipped_specs_load():
    for name in ("symbolic_awards", "swing", "mod_ing", "joint_separate", "blinding"):
        assert load_spec(name).name == name


def test_template_is_a_valid_spec_and_documents_every_key():
    text = template()
    spec = parse_spec(tomllib.loads(text))
    assert spec.name == "symbolic_awards"
    keys = [k.name for k in SPEC_KEYS] + [k.name for _, ks, _ in TABLES.values() for k in ks]
    for key in keys:
        assert f"{key} = " in text, key
        assert f"{key}`" in markdown_table(), key


def test_readme_documents_every_key():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert markdown_table() in readme


def test_cli_spec_mistakes_exit_2_write_nothing(tmp_path, fixture_path):
    spec = tmp_path / "bad.toml"
    spec.write_text(MINIMAL.replace("[[outcomes]]", 'lin = "false"\n[[outcomes]]'))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        trials, ["run", str(spec), str(fixture_path("mod_ing")), "--out", str(out)]
    )
    assert result.exit_code == 2 and "lin must be true or false" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_cli_spec_template_prints_the_template():
    result = CliRunner().invoke(trials, ["spec-template"])
    assert result.exit_code == 0 and result.output == template()


def test_unreadable_spec_is_a_clean_error(tmp_path):
    with pytest.raises(TrialError, match="not found"):
        load_spec(tmp_path / "absent.toml")
    with pytest.raises(TrialError, match="not valid TOML"):
        (tmp_path / "broken.toml").write_text("name = ")
        load_spec(tmp_path / "broken.toml")


FULL = """
name = "t"
unit = "staff_id"
treatment = "arm"
arms = ["control", "treatment"]
cluster = "c"
se = "CR2"
design = "joint_separate"
[factor]
column = "f"
levels = ["a", "b"]
[attenuation]
date = "d"
opened = 2021-03-08
[labels]
control = "usual care"
[[outcomes]]
name = "wellbeing"
"""
ODD_VALUES = ["", "x", 0, -5, 2.5, True, [], ["a", "a"], [1, 2], {"a": 1}, [["a"]], None]


def _with(table: dict, where: str | None, key: str, value) -> dict:
    import copy

    table = copy.deepcopy(table)
    target = table if where is None else table[where]
    target = target[0] if isinstance(target, list) else target
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value
    return table


def test_any_value_of_any_key_is_read_or_refused_cleanly():
    """Every key, set to odd values or removed: a Spec or a TrialError, never a crash."""
    base = tomllib.loads(FULL)
    parse_spec(base)
    levels = [(None, SPEC_KEYS)] + [(name, keys) for name, (_, keys, _) in TABLES.items()]
    for where, keys in levels:
        for key in keys:
            for value in ODD_VALUES:
                try:
                    parse_spec(_with(base, where, key.name, value))
                except TrialError:
                    pass


def test_labels_take_any_key_and_need_words():
    spec = parse_spec(
        tomllib.loads(FULL.replace("[labels]", '[labels]\nla_code = "local authority"'))
    )
    assert spec.label_map == {"la_code": "local authority", "control": "usual care"}
    message = problems_of(MINIMAL.replace("[[outcomes]]", "[labels]\ncontrol = 1\n[[outcomes]]"))
    assert "labels must be a table of names and words" in message and "control = 1" in message
    assert "unknown key" not in message


def test_report_keys_are_typed_and_checked():
    text = MINIMAL.replace(
        "[[outcomes]]",
        'assessed = "many"\nwild_bootstrap = 99\nwild_weights = "mammen"\n[[outcomes]]',
    )
    message = problems_of(text)
    assert "assessed must be a whole number" in message
    assert "wild_weights must be one of rademacher, webb" in message
    assert "wild_bootstrap is a wild cluster bootstrap: it needs cluster" in message
