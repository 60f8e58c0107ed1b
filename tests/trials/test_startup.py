"""`trials mdes` and `--help` start fast: they import no numpy, pandas, scipy or statsmodels."""

import subprocess
import sys

HEAVY = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "ortools")


def loaded_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


def test_mdes_and_help_load_no_heavy_library():
    code = (
        "from click.testing import CliRunner\n"
        "from trials.commands import trials\n"
        "r = CliRunner().invoke(trials, ['mdes', '--n', '419'])\n"
        "assert r.exit_code == 0 and '0.274' in r.output, r.output\n"
        "r = CliRunner().invoke(trials, ['estimate', '--help'])\n"
        "assert r.exit_code == 0, r.output"
    )
    assert not loaded_after(code) & set(HEAVY)
