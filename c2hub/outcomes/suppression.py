"""Small-number suppression for counts shown to commissioners and the public.

A count from 1 to ``threshold − 1`` (1–4 by default, ``settings.C2HUB_SUPPRESSION_THRESHOLD``) is
shown as "<5" (*primary* suppression). Totals are counts too, so a total of 3 is "<5" as well.

Showing the other cells and the totals of a row could give a suppressed cell away (total − the
others), so more cells are withheld and shown as "[c]" (*secondary* suppression) until no
suppressed small count can be worked out from what is shown. "Worked out" is checked exactly: a
reader knows every shown number, that each "<5" is between 1 and 4 and that each "[c]" is at least
5 (zeros are never withheld, so a "[c]" is never 0). A "<5" cell is safe when another table fits
all of that with a different value in the cell — which happens exactly when a cycle of withheld
cells through it can shift by one, alternately up and down (see ``can_take_another_value``). A
cell with no such cycle is given away, and the smallest visible non-zero count in its row or column
(a total included) is withheld next. Withholding more never makes another cell recoverable, so the
loop ends. The tests check the result against an independent integer-programming solver.

Pure functions over lists of whole numbers: no Django, no database. Facilitators see exact counts
(``SuppressedTable.exact``); what commissioners see is ``suppress_table`` / ``suppress_series``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

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
#
# A reader knows every shown number, that each "<t" is 1..t−1 and each "[c]" is at least t. Another
# table fits what they know when it differs from the true one by a change d on withheld cells only,
# with every row and column (totals included) still adding up. Flipping the sign of d on the
# total row and the total column (but not the corner) turns "still adding up" into "every row and
# column of d sums to zero": d is a circulation on the bipartite graph of rows and columns, whose
# edges are the withheld cells. Any such d that changes a cell splits into simple cycles through
# that cell moving each cell the same way as d, so a cell can take another value exactly when some
# simple cycle through it can move each of its cells by one (alternately up and down) and keep each
# within what the reader knows. That is a path search, done below for each small count.


def _fits(value: int, state: str, threshold: int) -> bool:
    if state == PRIMARY:
        return 1 <= value <= threshold - 1
    return value >= threshold  # SECONDARY: a "[c]" is never 0 and never small


def can_take_another_value(values: np.ndarray, status: np.ndarray, threshold: int, row: int, column: int) -> bool:
    """True if the cell's value cannot be worked out: some other table, differing only in withheld
    cells, fits every shown number and what "<t" and "[c]" tell a reader."""
    n_rows, n_columns = values.shape
    last_row, last_column = n_rows - 1, n_columns - 1

    def flip(i: int, j: int) -> int:
        return -1 if (i == last_row) != (j == last_column) else 1

    def movable(i: int, j: int, change: int) -> bool:
        return bool(status[i, j]) and _fits(int(values[i, j]) + change * flip(i, j), status[i, j], threshold)

    for step in (1, -1):
        if not movable(row, column, step):
            continue
        # From row `row`, reach column `column`: row → column over a cell moving −step,
        # column → row over a cell moving +step; never through the cell itself.
        seen_rows, seen_columns = {row}, set()
        frontier = [row]
        while frontier:
            next_rows: list[int] = []
            for i in frontier:
                for j in range(n_columns):
                    if j in seen_columns or (i, j) == (row, column) or not movable(i, j, -step):
                        continue
                    if j == column:
                        return True
                    seen_columns.add(j)
                    for k in range(n_rows):
                        if k not in seen_rows and (k, j) != (row, column) and movable(k, j, step):
                            seen_rows.add(k)
                            next_rows.append(k)
            frontier = next_rows
    return False


def recoverable_cells(values: np.ndarray, status: np.ndarray, threshold: int,
                      cells: Iterable[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The "<t" cells (or those of ``cells``) whose value a reader could work out exactly."""
    if cells is None:
        cells = [tuple(int(i) for i in index) for index in zip(*np.nonzero(status == PRIMARY), strict=True)]
    return [(r, c) for r, c in cells if not can_take_another_value(values, status, threshold, r, c)]


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
