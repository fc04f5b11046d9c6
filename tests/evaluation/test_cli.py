"""`c2hub evaluate`: the Prop 99 JSON, a readable table, and bad input as one clear line with exit code 2."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import PROP99, PROP99_PREDICTORS, PUBLISHED_WEIGHTS, simulated_count_panel, treated_areas


def run(*args: str) -> str:
    out = StringIO()
    call_command("evaluate", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


PROP99_ARGS = [
    "synthetic-control",
    "--panel",
    str(PROP99),
    "--unit",
    "state",
    "--time",
    "year",
    "--outcome",
    "cigsale",
    "--treated",
    "3",
    "--treatment-start",
    "1989",
    *[arg for spec in PROP99_PREDICTORS for arg in ("--predictor", spec)],
]


@pytest.fixture
def counts_csv(tmp_path: Path) -> Path:
    path = tmp_path / "crime.csv"
    simulated_count_panel(rate_ratio=0.8, comparison=12, periods=24, start=12).to_csv(path, index=False)
    return path


def test_prop99_json() -> None:
    if not PROP99.exists():
        pytest.skip("no Prop 99 panel")
    summary = json.loads(run(*PROP99_ARGS, "--no-placebos", "--json"))
    assert set(summary) == {"weights", "pre_rmspe", "gaps", "placebo_p"}
    for state, weight in PUBLISHED_WEIGHTS.items():
        assert summary["weights"][state] == pytest.approx(weight, abs=0.03)
    assert summary["gaps"]["2000"] == pytest.approx(-26, abs=3)
    assert summary["pre_rmspe"] == pytest.approx(1.76, abs=0.1)
    assert summary["placebo_p"] is None


def test_placebo_p_in_json_and_table(tmp_path: Path) -> None:
    panel = pd.read_csv(PROP99) if PROP99.exists() else pytest.skip("no Prop 99 panel")
    small = tmp_path / "small.csv"
    panel[panel["state"].isin([3, 4, 5, 19, 21, 34, 7])].to_csv(small, index=False)
    args = [
        *PROP99_ARGS[:2],
        str(small),
        *PROP99_ARGS[3:13],
        "--predictor",
        "cigsale:1975",
        "--predictor",
        "cigsale:1980",
        "--predictor",
        "cigsale:1988",
        "--optimise-period",
        "1970-1988",
    ]
    summary = json.loads(run(*args, "--json"))
    assert summary["placebo_p"] == pytest.approx(1 / 7)
    table = run(*args)
    assert "Donor weights" in table and "Placebo p-value 0.143" in table and "1989" in table


def test_did_json_and_table(counts_csv: Path) -> None:
    args = [
        "did",
        "--panel",
        str(counts_csv),
        "--unit",
        "lsoa",
        "--time",
        "month",
        "--outcome",
        "count",
        "--treated",
        *treated_areas(),
        "--treatment-start",
        "2022-01",
    ]
    summary = json.loads(run(*args, "--exposure", "population", "--json"))
    assert summary["ci_low"] < 0.8 < summary["ci_high"]
    assert summary["n_treated"] == 6
    table = run(*args)
    assert "Rate ratio" in table and "Pre-trend p-value" in table


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--panel": "/nonexistent/panel.csv"}, "No such file: /nonexistent/panel.csv"),
        ({"--outcome": "packs"}, "The panel has no column 'packs'"),
        ({"--treated": "99"}, "The treated unit '99' is not in column 'state'"),
        ({"--predictor": "cigsale:1988-1975"}, "ends before it starts"),
        ({"--predictor": "cigsale:19x5"}, "the period '19x5' is not a period like the panel's (e.g. 1970)"),
        ({"--optimise-period": "late"}, "The optimisation period 'late'"),
        ({"--outcome": "california"}, None),  # booleans are numbers: no error
    ],
)
def test_bad_input_is_one_clear_line(change: dict[str, str], message: str | None) -> None:
    if not PROP99.exists():
        pytest.skip("no Prop 99 panel")
    args = list(PROP99_ARGS)
    for flag, value in change.items():
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    if message is None:
        return
    with pytest.raises(CommandError) as raised:
        run(*args, "--no-placebos", "--json")
    assert message in str(raised.value)
    assert raised.value.returncode == 2


def test_too_few_donors_and_non_numeric_outcome(tmp_path: Path) -> None:
    path = tmp_path / "tiny.csv"
    path.write_text("area,year,y\nA,1,1\nA,2,2\nB,1,1\nB,2,x\n")
    base = [
        "synthetic-control",
        "--panel",
        str(path),
        "--unit",
        "area",
        "--time",
        "year",
        "--treated",
        "A",
        "--treatment-start",
        "2",
        "--predictor",
        "y:1",
    ]
    with pytest.raises(CommandError, match=r"Column 'y' must hold numbers, but row 4 of the panel has 'x'") as raised:
        run(*base, "--outcome", "y")
    assert raised.value.returncode == 2
    path.write_text("area,year,y\nA,1,1\nA,2,2\nB,1,1\nB,2,3\n")
    with pytest.raises(CommandError, match="Too few donor units"):
        run(*base, "--outcome", "y")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(CommandError, match="is empty"):
        run(
            "did",
            "--panel",
            str(path),
            "--unit",
            "a",
            "--time",
            "t",
            "--outcome",
            "y",
            "--treated",
            "x",
            "--treatment-start",
            "1",
        )
