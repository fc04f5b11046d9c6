"""`c2hub evaluate synthetic-control|did`: the evaluation methods on a panel CSV, for evaluators.

    c2hub evaluate synthetic-control --panel smoking.csv --unit state --time year --outcome cigsale \\
        --treated 3 --treatment-start 1989 --predictor lnincome:1980-1988 --predictor cigsale:1975 … --json
    c2hub evaluate did --panel crime.csv --unit lsoa --time month --outcome count \\
        --treated E01000001 E01000002 --treatment-start 2023-04 [--exposure population] --json

Bad input (a missing file or column, an unknown unit, a bad YEARS spec, too few donors, an
outcome that is not a number) prints one line saying what is wrong and exits with code 2.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from c2hub.evaluation.did import DidResult, difference_in_differences
from c2hub.evaluation.panel import EvaluationError
from c2hub.evaluation.synthetic_control import SyntheticControlResult, parse_predictor, synthetic_control

BAD_INPUT = 2


def read_panel(path: str) -> pd.DataFrame:
    """Read a panel CSV (UTF-8 with or without a byte-order mark, or Latin-1), or say why it cannot be read."""
    file = Path(path)
    if not file.exists():
        raise EvaluationError(f"No such file: {path}")
    if file.is_dir():
        raise EvaluationError(f"{path} is a folder; give the panel CSV file.")
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            panel = pd.read_csv(file, encoding=encoding, skipinitialspace=True)
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError as exc:
            raise EvaluationError(
                f"{path} is empty: a panel needs a header row and one row per unit and period."
            ) from exc
        except pd.errors.ParserError as exc:
            raise EvaluationError(f"{path} is not a readable CSV file: {exc}".strip()) from exc
        panel.columns = [str(c).strip() for c in panel.columns]
        return panel
    raise EvaluationError(f"{path} is not a text CSV file.")


def parse_period_range(text: str) -> tuple[Any, Any]:
    """ "1970-1988", "2022-01..2023-12" or one period "1988" as (start, end), both included."""
    text = text.strip()
    if ".." in text:
        start, _, end = text.partition("..")
    else:
        match = re.fullmatch(r"([+-]?\d+)\s*-\s*(\d+)", text)
        if match and int(match.group(1)) <= int(match.group(2)):
            start, end = match.group(1), match.group(2)
        elif re.fullmatch(r"\d{4}-\d{2}", text):
            start = end = text  # one month, e.g. 2023-06
        elif re.fullmatch(r"[+-]?\d+", text):
            start = end = text
        else:
            raise EvaluationError(
                f"The optimisation period {text!r} must be a range like 1970-1988 (or 2022-01..2023-12 for months)."
            )
    start, end = start.strip(), end.strip()
    if not start or not end:
        raise EvaluationError(f"The optimisation period {text!r} needs a start and an end.")
    values = tuple(int(v) if re.fullmatch(r"[+-]?\d+", v) else v for v in (start, end))
    if type(values[0]) is type(values[1]) and values[0] > values[1]:
        raise EvaluationError(f"The optimisation period {text!r} ends before it starts.")
    return values[0], values[1]


def _number(value: float, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value:.{digits}f}"


class Command(BaseCommand):
    help = "Run an evaluation method (synthetic control or difference-in-differences) on a panel CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        methods = parser.add_subparsers(dest="method", required=True, metavar="{synthetic-control,did}")
        synthetic = methods.add_parser(
            "synthetic-control", help="Synthetic control with placebo-in-space inference (ADH 2010)."
        )
        did = methods.add_parser("did", help="Poisson difference-in-differences with area and period fixed effects.")
        for sub in (synthetic, did):
            sub.add_argument(
                "--panel", required=True, metavar="FILE.csv", help="Long panel: one row per unit and period."
            )
            sub.add_argument("--unit", required=True, metavar="COL", help="The column naming the unit (area).")
            sub.add_argument("--time", required=True, metavar="COL", help="The column with the period.")
            sub.add_argument("--outcome", required=True, metavar="COL", help="The outcome column.")
            sub.add_argument("--treatment-start", required=True, metavar="T", help="The first treated period.")
            sub.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
        synthetic.add_argument("--treated", required=True, metavar="UNIT", help="The treated unit.")
        synthetic.add_argument(
            "--exclude",
            nargs="+",
            action="extend",
            default=[],
            metavar="UNIT",
            help="Units to leave out of the donors.",
        )
        synthetic.add_argument(
            "--optimise-period",
            "--optimize-period",
            dest="optimise_period",
            metavar="A-B",
            help="The pre-treatment periods whose outcome V is chosen to match (default: all of them).",
        )
        synthetic.add_argument(
            "--predictor",
            action="append",
            required=True,
            metavar="COL:YEARS",
            help="A predictor: the mean of COL over YEARS (one year 1975, a range 1980-1988 or a list "
            "1961,1963,1965), ignoring missing values. Repeat for each predictor.",
        )
        synthetic.add_argument("--no-placebos", action="store_true", help="Skip the placebo runs (no p-value).")
        synthetic.add_argument(
            "--placebo-pre-mspe-limit",
            type=float,
            metavar="K",
            help="Leave out placebos whose pre-treatment MSPE is more than K times the treated unit's.",
        )
        synthetic.add_argument(
            "--placebo-include-treated",
            action="store_true",
            help="Let the treated unit be a donor in the placebo runs (as in ADH 2010).",
        )
        did.add_argument(
            "--treated", required=True, nargs="+", action="extend", metavar="UNIT", help="The treated unit(s)."
        )
        did.add_argument(
            "--exposure", metavar="COL", help="Population or other exposure (an offset: rates not counts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            panel = read_panel(options["panel"])
            if options["method"] == "synthetic-control":
                self._synthetic_control(panel, options)
            else:
                self._did(panel, options)
        except EvaluationError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from exc
        except (np.linalg.LinAlgError, FloatingPointError, OverflowError) as exc:
            raise CommandError(
                f"The method could not be fitted to this panel ({exc}). Check for areas or periods with no data.",
                returncode=BAD_INPUT,
            ) from exc

    def _synthetic_control(self, panel: pd.DataFrame, options: dict[str, Any]) -> None:
        predictors = [parse_predictor(spec) for spec in options["predictor"]]
        period = parse_period_range(options["optimise_period"]) if options["optimise_period"] else None
        console = Console(stderr=True)
        with Progress(
            TextColumn("Placebos"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=options["no_placebos"],
        ) as bar:
            task = bar.add_task("placebos", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = synthetic_control(
                panel,
                unit=options["unit"],
                time=options["time"],
                outcome=options["outcome"],
                treated=options["treated"],
                treatment_start=options["treatment_start"],
                predictors=predictors,
                exclude=options["exclude"],
                optimise_period=period,
                placebos=not options["no_placebos"],
                progress=progress,
                placebo_include_treated=options["placebo_include_treated"],
                placebo_pre_mspe_limit=options["placebo_pre_mspe_limit"],
            )
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json()))
        else:
            self._synthetic_table(result)

    def _synthetic_table(self, result: SyntheticControlResult) -> None:
        out = self.stdout
        out.write(f"Synthetic control for {result.treated_unit}, treatment from {result.treatment_start}")
        out.write("")
        out.write("Donor weights (0.001 or more)")
        for unit, weight in result.donor_weights().items():
            out.write(f"  {unit:<24} {weight:8.3f}")
        out.write("")
        out.write(f"  {'Predictor':<32} {'treated':>12} {'synthetic':>12} {'V weight':>10}")
        for name, row in result.predictor_balance.iterrows():
            out.write(f"  {name!s:<32} {row['treated']:12.4g} {row['synthetic']:12.4g} {row['v_weight']:10.4f}")
        out.write("")
        out.write(f"  {'Period':<12} {'treated':>12} {'synthetic':>12} {'gap':>10}")
        for time in result.gaps:
            marker = " *" if time in result.post_periods else ""
            out.write(
                f"  {time!s:<12} {result.treated[time]:12.3f} {result.synthetic[time]:12.3f} "
                f"{result.gaps[time]:10.3f}{marker}"
            )
        out.write("  (* after the treatment start)")
        out.write("")
        out.write(f"Pre-treatment RMSPE {_number(result.pre_rmspe)}; post-treatment RMSPE {_number(result.post_rmspe)}")
        out.write(f"Average gap after the start {_number(result.mean_post_gap)}")
        if result.placebo_p is None:
            out.write("Placebo p-value: not run")
        else:
            out.write(
                f"Placebo p-value {result.placebo_p:.3f} (rank of the post/pre RMSPE ratio among "
                f"{result.placebos_ranked} units)"
            )
        if result.excluded_donors:
            out.write(
                "Left out of the donors: " + "; ".join(f"{u} ({why})" for u, why in result.excluded_donors.items())
            )

    def _did(self, panel: pd.DataFrame, options: dict[str, Any]) -> None:
        result = difference_in_differences(
            panel,
            unit=options["unit"],
            time=options["time"],
            outcome=options["outcome"],
            treated_units=options["treated"],
            treatment_start=options["treatment_start"],
            exposure=options["exposure"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json()))
        else:
            self._did_table(result)

    def _did_table(self, result: DidResult) -> None:
        out = self.stdout
        out.write("Difference-in-differences")
        interval = f"95% CI {_number(result.ci_low)} to {_number(result.ci_high)}"
        out.write(f"  Rate ratio          {_number(result.effect)} ({interval})")
        out.write(f"  p-value             {_number(result.p_value, 4)}")
        out.write(f"  Areas               {result.n_treated} treated, {result.n_comparison} comparison")
        split = f"{len(result.pre_periods)} before, {len(result.post_periods)} after"
        out.write(f"  Periods             {result.n_periods} ({split})")
        trend = "not enough periods" if result.pre_trend_p is None else _number(result.pre_trend_p, 4)
        out.write(f"  Pre-trend p-value   {trend}")
        out.write(f"  Dispersion          {_number(result.dispersion, 2)}")
        out.write(f"  Method              {result.method}")
        out.write("")
        out.write(f"  {'Relative period':>15} {'rate ratio':>11} {'95% CI':>20}")
        for point in result.event_study:
            interval = f"{_number(point.ci_low):>9} to {_number(point.ci_high):<8}"
            out.write(f"  {point.rel_time:>15} {point.rate_ratio:11.3f} {interval}")
        if result.dropped_areas:
            out.write("Left out: " + "; ".join(f"{u} ({why})" for u, why in result.dropped_areas.items()))
