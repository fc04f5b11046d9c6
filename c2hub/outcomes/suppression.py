"""Small-number suppression for counts shown to commissioners and the public.

A count from 1 to ``threshold − 1`` (1–4 by default, ``settings.C2HUB_SUPPRESSION_THRESHOLD``) is
shown as "<5" (*primary* suppression). Totals are counts too, so a total of 3 is "<5" as well.

Showing the other cells and the totals of a row could give a suppressed cell away (total − the
others), so more cells are withheld and shown as "[c]" (*secondary* suppression) until no
suppressed small count can be worked out from what is shown. "Worked out" is checked exactly: a
reader knows every shown number, that each "<5" is between 1 and 4 and that each "[c]" is at least
5 (zeros are never withheld, so a "[c]" is never 0). For every "<5" cell, the smallest and the
largest value it could take under those facts are found by linear programming (the row and column
sums make the constraint matrix totally unimodular, so the bounds are whole numbers); a cell whose
smallest and largest values are equal is given away, and the smallest visible non-zero count in its
row or column (a total included) is withheld next. Withholding more never makes another cell
recoverable, so the loop ends.

Pure functions over lists of whole numbers: no Django, no database. Facilitators see exact counts
(``SuppressedTable.exact``); what commissioners see is ``suppress_table`` / ``suppress_series``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

DEFAULT_THRESHOLD = 5
PRIMARY = "primary"
SECONDARY = "secondary"
SECONDARY_LABEL = "[c]"


def primary_label(threshold: int) -> str:
    return f"<{threshold}"


@dataclass
class SuppressedTable:
    """A table of counts with a total column and a total row, and what may be shown of each cell.

    ``values`` and ``status`` are (rows + 1) × (columns + 1): the last column holds the row
    totals, the last row the column totals, the corner the grand total. ``status`` is "" (shown),
    "primary" (a small count, shown as "<5") or "secondary" (withheld so totals do not give a small
    count away, shown as "[c]").
    """

    values: np.ndarray
    status: np.ndarray
    threshold: int = DEFAULT_THRESHOLD
    suppressed: bool = True
    #: True when even withholding every non-zero cell would give a small count away (e.g. two
    #: cells of 1 with a total of 2 under a threshold of 3): then every cell, zeros too, is "[c]".
    withheld_all: bool = False

    @classmethod
    def exact(cls, counts: Sequence[Sequence[int]]) -> SuppressedTable:
        """The table with every count shown (for people who see exact counts)."""
        values = with_totals(counts)
        return cls(values=values, status=np.full(values.shape, "", dtype=object), threshold=0, suppressed=False)

    @property
    def shape(self) -> tuple[int, int]:
        rows, columns = self.values.shape
        return rows - 1, columns - 1

    def is_hidden(self, row: int, column: int) -> bool:
        return bool(self.status[row, column])

    def shown(self, row: int, column: int) -> int | None:
        """The count if it may be shown, else None."""
        return None if self.status[row, column] else int(self.values[row, column])

    def label(self, row: int, column: int) -> str:
        """The cell as it is displayed: "1,234", "<5" or "[c]"."""
        status = self.status[row, column]
        if self.withheld_all:
            return SECONDARY_LABEL
        if status == PRIMARY:
            return primary_label(self.threshold)
        if status == SECONDARY:
            return SECONDARY_LABEL
        return f"{int(self.values[row, column]):,}"

    def any_hidden(self) -> bool:
        return bool((self.status != "").any())

    def row_labels(self, row: int) -> list[str]:
        return [self.label(row, column) for column in range(self.values.shape[1])]


def with_totals(counts: Sequence[Sequence[int]]) -> np.ndarray:
    """The counts as a whole-number array with a total column and a total row added."""
    body = np.asarray(counts, dtype=np.int64) if len(counts) else np.zeros((0, 0), dtype=np.int64)
    if body.ndim != 2:
        raise ValueError("Counts must be a table (a list of rows).")
    if (body < 0).any():
        raise ValueError("Counts cannot be negative.")
    rows, columns = body.shape
    values = np.zeros((rows + 1, columns + 1), dtype=np.int64)
    values[:rows, :columns] = body
    values[:rows, columns] = body.sum(axis=1)
    values[rows, :columns] = body.sum(axis=0)
    values[rows, columns] = body.sum()
    return values


def suppress_table(
    counts: Sequence[Sequence[int]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    withhold: Iterable[tuple[int, int]] = (),
    keep: Iterable[tuple[int, int]] = (),
) -> SuppressedTable:
    """Primary and secondary suppression of a table of counts (totals added and protected too).

    ``withhold`` names cells (in the table with totals) to withhold as well, e.g. a total that
    another table on the same page had to withhold; ``keep`` names cells another table shows, so
    they are never chosen for secondary suppression (a reader knows them anyway).
    """
    values = with_totals(counts)
    status = np.full(values.shape, "", dtype=object)
    if threshold <= 1:
        return SuppressedTable(values=values, status=status, threshold=threshold, suppressed=False)
    small = (values >= 1) & (values < threshold)
    status[small] = PRIMARY
    for row, column in withhold:
        if not status[row, column] and values[row, column] > 0:
            status[row, column] = SECONDARY
    safe = _protect(values, status, threshold, frozenset(keep))
    if not safe:
        status[:] = SECONDARY
    return SuppressedTable(values=values, status=status, threshold=threshold, withheld_all=not safe)


def suppress_series(counts: Sequence[int], *, threshold: int = DEFAULT_THRESHOLD) -> SuppressedTable:
    """A single series (e.g. counts per month) with its total: a table of one row."""
    return suppress_table([list(counts)], threshold=threshold)


# ---------------------------------------------------------------------------------------------
# The exact check: can a reader work a small count out from what is shown?


def _constraints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equality constraints over the cells of a table with totals: each row and column adds up."""
    n_rows, n_columns = values.shape
    size = n_rows * n_columns
    equations = []
    for row in range(n_rows):
        equation = np.zeros(size)
        for column in range(n_columns - 1):
            equation[row * n_columns + column] = 1
        equation[row * n_columns + n_columns - 1] = -1
        equations.append(equation)
    for column in range(n_columns):
        equation = np.zeros(size)
        for row in range(n_rows - 1):
            equation[row * n_columns + column] = 1
        equation[(n_rows - 1) * n_columns + column] = -1
        equations.append(equation)
    return np.array(equations), np.zeros(len(equations))


def reader_bounds(values: np.ndarray, status: np.ndarray, threshold: int) -> list[tuple[float, float]]:
    """What a reader knows about each cell: shown cells exactly, "<t" in [1, t−1], "[c]" ≥ t."""
    bounds: list[tuple[float, float]] = []
    for value, state in zip(values.ravel(), status.ravel(), strict=True):
        if state == PRIMARY:
            bounds.append((1, threshold - 1))
        elif state == SECONDARY:
            bounds.append((threshold, None))  # type: ignore[arg-type]
        else:
            bounds.append((float(value), float(value)))
    return bounds


def cell_range(
    values: np.ndarray, status: np.ndarray, threshold: int, row: int, column: int
) -> tuple[float, float]:
    """The smallest and largest value a reader could deduce for one cell (linear programming)."""
    a_eq, b_eq = _constraints(values)
    bounds = reader_bounds(values, status, threshold)
    objective = np.zeros(values.size)
    objective[row * values.shape[1] + column] = 1
    low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if not (low.success and high.success):
        # The shown numbers always admit the true table, so this only happens when the maximum
        # is unbounded (a "[c]" cell with no limit): the cell cannot be pinned down.
        return (low.fun if low.success else 1.0, float("inf"))
    return (float(low.fun), float(-high.fun))


def recoverable_cells(values: np.ndarray, status: np.ndarray, threshold: int,
                      cells: Iterable[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The "<t" cells (or those of ``cells``) whose value a reader could work out exactly."""
    if cells is None:
        cells = [tuple(int(i) for i in index) for index in zip(*np.nonzero(status == PRIMARY), strict=True)]
    pinned = []
    for row, column in cells:
        low, high = cell_range(values, status, threshold, row, column)
        if high - low < 0.5:
            pinned.append((row, column))
    return pinned


def _lines_needing_partner(values: np.ndarray, status: np.ndarray,
                           keep: frozenset[tuple[int, int]] = frozenset()) -> list[tuple[int, int]]:
    """Cheap first pass: a row or column with exactly one withheld cell gives it away by subtraction."""
    additions = []
    for axis in (0, 1):
        lines = status if axis == 0 else status.T
        numbers = values if axis == 0 else values.T
        for index in range(lines.shape[0]):
            hidden = [j for j in range(lines.shape[1]) if lines[index, j]]
            if len(hidden) == 1:
                candidates = [
                    j for j in range(lines.shape[1])
                    if not lines[index, j] and numbers[index, j] > 0
                    and ((index, j) if axis == 0 else (j, index)) not in keep
                ]
                if candidates:
                    best = min(candidates, key=lambda j: (numbers[index, j], j))
                    additions.append((index, best) if axis == 0 else (best, index))
    return additions


def _protect(values: np.ndarray, status: np.ndarray, threshold: int,
             keep: frozenset[tuple[int, int]] = frozenset()) -> bool:
    """Withhold further cells (in place) until no "<t" cell can be worked out; False if impossible."""
    # Cheap passes first: every line with a withheld cell gets a second one.
    while additions := [cell for cell in _lines_needing_partner(values, status, keep) if not status[cell]]:
        for cell in additions:
            if not status[cell]:
                status[cell] = SECONDARY
    # Then the exact check, repaired one cell at a time. Withholding more only widens what a reader
    # could believe, so a cell once safe stays safe: only the pinned ones are checked again.
    pinned = recoverable_cells(values, status, threshold)
    while pinned:
        row, column = pinned[0]
        candidates = [(row, j) for j in range(values.shape[1]) if not status[row, j] and values[row, j] > 0]
        candidates += [(i, column) for i in range(values.shape[0]) if not status[i, column] and values[i, column] > 0]
        candidates = [cell for cell in candidates if cell not in keep]
        if not candidates:
            candidates = [
                (int(i), int(j)) for i, j in zip(*np.nonzero((status == "") & (values > 0)), strict=True)
                if (int(i), int(j)) not in keep
            ]
        if not candidates:
            return False  # everything non-zero is withheld already and a small count still shows
        status[min(candidates, key=lambda cell: (values[cell], cell))] = SECONDARY
        pinned = recoverable_cells(values, status, threshold, pinned)
    return True
