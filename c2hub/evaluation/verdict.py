"""A plain-English verdict on an evaluation that never claims more than the numbers allow.

Rules (docs/methods.md explains why):

* a change is only called an improvement or a worsening when the whole 95% confidence interval
  (difference-in-differences) is on one side of "no change", or the placebo test puts the site
  among the 5% most extreme units (synthetic control);
* when nothing clear is found and the study could only have detected a change larger than
  `plausible_change` (20% by default), the answer is "the area is too small to tell";
* a failed pre-trend check or a poor pre-period fit means the comparison is not trustworthy,
  whatever the estimate;
* it never says the partnership *caused* a change, and it always lists the other changes at the
  same time that could explain a difference (or says that none were recorded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from c2hub.evaluation.did import DidResult
from c2hub.evaluation.power import MdeResult
from c2hub.evaluation.synthetic_control import SyntheticControlResult

__all__ = ["Level", "Verdict", "verdict"]

Level = Literal["too_small_to_tell", "no_clear_change", "improvement", "worsening"]

PLAUSIBLE_CHANGE = 0.20  # a neighbourhood partnership is unlikely to change a count by more than this
SIGNIFICANCE = 0.05
PRE_TREND_ALARM = 0.05
POOR_FIT = 0.15  # synthetic control: pre-period RMSPE above 15% of the site's own pre-period level


@dataclass
class Verdict:
    """The headline, the detail that qualifies it, and the level for styling."""

    headline: str
    detail: str
    level: Level
    contemporaneous_changes: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)


def _percent(fraction: float) -> str:
    value = abs(fraction) * 100
    return f"{value:.0f}%" if value >= 1 else f"{value:.1f}%"


def _changes_sentence(changes: list[str]) -> str:
    if changes:
        listed = "; ".join(change.strip().rstrip(".") for change in changes if change.strip())
        return f"Other changes at the same time that could explain a difference: {listed}."
    return (
        "No other changes at the same time have been recorded for this site. Record any (for example a "
        "regeneration scheme, a change in policing or a new service), because they could explain a difference."
    )


def _direction(ratio: float, higher_is_better: bool) -> Level:
    better = ratio > 1 if higher_is_better else ratio < 1
    return "improvement" if better else "worsening"


def _mde_sentence(mde: MdeResult | None) -> str:
    if mde is None:
        return ""
    return (
        f" With this many events and periods, only a change of about {_percent(mde.relative_fall)} or more "
        f"(a fall) or {_percent(mde.relative_rise)} or more (a rise) would reliably show up."
    )


def verdict(
    result: DidResult | SyntheticControlResult,
    mde: MdeResult | None,
    contemporaneous_changes: list[str],
    *,
    outcome_label: str = "the outcome",
    higher_is_better: bool = False,
    plausible_change: float = PLAUSIBLE_CHANGE,
) -> Verdict:
    """The verdict for a difference-in-differences or synthetic-control result, worded so it never overclaims.

    `outcome_label` names the outcome in the sentences (e.g. "recorded crime");
    `higher_is_better` is True for outcomes such as school results.
    """
    changes = [c for c in contemporaneous_changes if c and c.strip()]
    if isinstance(result, DidResult):
        return _did_verdict(result, mde, changes, outcome_label, higher_is_better, plausible_change)
    if isinstance(result, SyntheticControlResult):
        return _synthetic_verdict(result, mde, changes, outcome_label, higher_is_better, plausible_change)
    raise TypeError(f"verdict() needs a DidResult or a SyntheticControlResult, not {type(result).__name__}")


def _too_small(mde: MdeResult | None, plausible_change: float) -> bool:
    return mde is not None and min(mde.relative_fall, mde.relative_rise) > plausible_change


def _did_verdict(
    result: DidResult,
    mde: MdeResult | None,
    changes: list[str],
    outcome: str,
    higher_is_better: bool,
    plausible_change: float,
) -> Verdict:
    caveats = [
        "This compares the site with similar areas before and after the partnership started; it shows whether "
        "things changed differently there, not why.",
    ]
    estimate = (
        f"The estimate is a rate ratio of {result.effect:.2f} (95% confidence interval {result.ci_low:.2f} to "
        f"{result.ci_high:.2f}): "
    )
    if result.effect < 1:
        estimate += f"{_percent(1 - result.effect)} lower than expected from the comparison areas."
    else:
        estimate += f"{_percent(result.effect - 1)} higher than expected from the comparison areas."
    tail = " " + _changes_sentence(changes)
    if result.n_comparison < 2 or result.n_areas < 4:
        caveats.append("With so few areas the confidence interval itself is uncertain.")
    if result.pre_trend_p is not None and result.pre_trend_p < PRE_TREND_ALARM:
        return Verdict(
            headline=(
                f"We can't tell: the site and its comparison areas were already moving apart on {outcome} "
                "before the partnership started"
            ),
            detail=(
                f"Before the start, {outcome} in the site was already following a different trend from the "
                f"comparison areas (pre-trend test p = {result.pre_trend_p:.3f}), so a later difference cannot "
                "be put down to anything that happened at the start. Choose comparison areas that moved with "
                "the site beforehand, or use the synthetic control. " + estimate + tail
            ),
            level="no_clear_change",
            contemporaneous_changes=changes,
            caveats=caveats,
        )
    significant = result.ci_high < 1 or result.ci_low > 1
    if not significant:
        if _too_small(mde, plausible_change):
            return Verdict(
                headline=f"The area is too small to tell whether {outcome} changed",
                detail=(
                    "There are too few events to separate a real change from chance."
                    + _mde_sentence(mde)
                    + " "
                    + estimate
                    + " The interval includes no change."
                    + tail
                ),
                level="too_small_to_tell",
                contemporaneous_changes=changes,
                caveats=caveats,
            )
        return Verdict(
            headline=f"No clear change in {outcome} compared with similar areas",
            detail=(
                estimate + " The interval includes no change, so the data are consistent with no difference as well as "
                "with a modest one either way." + _mde_sentence(mde) + tail
            ),
            level="no_clear_change",
            contemporaneous_changes=changes,
            caveats=caveats,
        )
    level = _direction(result.effect, higher_is_better)
    moved = "fell" if result.effect < 1 else "rose"
    return Verdict(
        headline=(
            f"{outcome[:1].upper() + outcome[1:]} {moved} by about {_percent(result.effect - 1)} more than in "
            "similar areas after the partnership started"
        ),
        detail=(
            estimate
            + " The whole interval is on one side of no change. This is consistent with the partnership having "
            "made a difference, but it does not show that it did: anything else that changed in the site at the "
            "same time could explain it." + tail
        ),
        level=level,
        contemporaneous_changes=changes,
        caveats=caveats,
    )


def _synthetic_verdict(
    result: SyntheticControlResult,
    mde: MdeResult | None,
    changes: list[str],
    outcome: str,
    higher_is_better: bool,
    plausible_change: float,
) -> Verdict:
    caveats = [
        "The synthetic site is a weighted mix of other areas chosen to match the site before the partnership; "
        "it shows what might have happened without it, not why things changed.",
    ]
    tail = " " + _changes_sentence(changes)
    pre_level = sum(abs(result.treated[t]) for t in result.pre_periods) / max(len(result.pre_periods), 1)
    relative_fit = result.pre_rmspe / pre_level if pre_level > 0 else float("inf")
    base = result.mean_post_synthetic
    relative_gap = result.mean_post_gap / base if base else 0.0
    estimate = (
        f"After the start, {outcome} averaged {abs(result.mean_post_gap):.3g} "
        f"{'below' if result.mean_post_gap < 0 else 'above'} the synthetic site "
        f"({_percent(relative_gap)} {'lower' if relative_gap < 0 else 'higher'})."
    )
    if relative_fit > POOR_FIT:
        return Verdict(
            headline=f"We can't tell: no mix of comparison areas matched the site's {outcome} before the start",
            detail=(
                f"Before the start the synthetic site missed the real one by {_percent(relative_fit)} on average "
                "(root mean squared error), so it is not a trustworthy picture of what would have happened. "
                + estimate
                + tail
            ),
            level="no_clear_change",
            contemporaneous_changes=changes,
            caveats=caveats,
        )
    if result.placebo_p is None:
        caveats.append("The placebo test was not run, so chance cannot be ruled out.")
        return Verdict(
            headline=f"No clear change in {outcome} can be shown without the placebo test",
            detail=estimate + " Run the placebo test to see whether a gap this size is unusual." + tail,
            level="no_clear_change",
            contemporaneous_changes=changes,
            caveats=caveats,
        )
    smallest_p = 1.0 / result.placebos_ranked
    p_text = (
        f"In the placebo test, {result.placebos_ranked - 1} comparison areas were each treated as if they had a "
        f"partnership; the site ranked with p = {result.placebo_p:.3f}."
    )
    if smallest_p > SIGNIFICANCE:
        return Verdict(
            headline=f"The area is too small to tell whether {outcome} changed",
            detail=(
                f"There are only {result.placebos_ranked - 1} comparison areas, so even the most extreme result "
                f"could not be told apart from chance (the smallest possible p-value is {smallest_p:.2f}). "
                + estimate
                + tail
            ),
            level="too_small_to_tell",
            contemporaneous_changes=changes,
            caveats=caveats,
        )
    if result.placebo_p > SIGNIFICANCE:
        if _too_small(mde, plausible_change):
            return Verdict(
                headline=f"The area is too small to tell whether {outcome} changed",
                detail="There are too few events to separate a real change from chance."
                + _mde_sentence(mde)
                + " "
                + estimate
                + " "
                + p_text
                + tail,
                level="too_small_to_tell",
                contemporaneous_changes=changes,
                caveats=caveats,
            )
        return Verdict(
            headline=f"No clear change in {outcome} compared with the synthetic site",
            detail=estimate + " " + p_text + " Gaps this size are common among the comparison areas, so it "
            "may be chance." + _mde_sentence(mde) + tail,
            level="no_clear_change",
            contemporaneous_changes=changes,
            caveats=caveats,
        )
    level = _direction(1 + relative_gap, higher_is_better)
    moved = "lower" if relative_gap < 0 else "higher"
    return Verdict(
        headline=(
            f"{outcome[:1].upper() + outcome[1:]} was about {_percent(relative_gap)} {moved} than in a matched mix "
            "of similar areas after the partnership started"
        ),
        detail=(
            estimate + " " + p_text + " Few comparison areas show a gap this large, so it is unlikely to be chance. "
            "This is consistent with the partnership having made a difference, but it does not show that it did: "
            "anything else that changed in the site at the same time could explain it." + tail
        ),
        level=level,
        contemporaneous_changes=changes,
        caveats=caveats,
    )
