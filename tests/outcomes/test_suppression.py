"""Small-number suppression: primary "<5", secondary "[c]", and that nothing small can be worked out.

The property tests check suppression against an independent exact solver (integer programming with
scipy's ``milp``, not the linear programming the module uses): for every "<5" cell, a reader who
knows every shown number, that each "<5" is 1–4 and each "[c]" is at least 5, must find at least
two possible values.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from c2hub.outcomes.suppression import (
    PRIMARY,
    SECONDARY,
    SuppressedTable,
    suppress_series,
    suppress_table,
    with_totals,
)


def _integer_range(table: SuppressedTable, row: int, column: int) -> tuple[float, float]:
    values, status, threshold = table.values, table.status, table.threshold
    n_rows, n_columns = values.shape
    size = values.size
    rows = []
    for i in range(n_rows):
        equation = np.zeros(size)
        equation[i * n_columns: i * n_columns + n_columns - 1] = 1
        equation[i * n_columns + n_columns - 1] = -1
        rows.append(equation)
    for j in range(n_columns):
        equation = np.zeros(size)
        for i in range(n_rows - 1):
            equation[i * n_columns + j] = 1
        equation[(n_rows - 1) * n_columns + j] = -1
        rows.append(equation)
    low_bounds, high_bounds = [], []
    for value, state in zip(values.ravel(), status.ravel(), strict=True):
        if state == PRIMARY:
            low_bounds.append(1), high_bounds.append(threshold - 1)
        elif state == SECONDARY:
            low_bounds.append(threshold), high_bounds.append(10_000)
        else:
            low_bounds.append(value), high_bounds.append(value)
    constraint = LinearConstraint(np.array(rows), 0, 0)
    bounds = Bounds(low_bounds, high_bounds)
    objective = np.zeros(size)
    objective[row * n_columns + column] = 1
    results = [
        milp(sign * objective, constraints=constraint, bounds=bounds, integrality=np.ones(size))
        for sign in (1, -1)
    ]
    assert all(r.success for r in results)
    return results[0].fun, -results[1].fun


counts_tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda columns: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts_tables, st.sampled_from([3, 5, 10]))
def test_no_small_count_can_be_worked_out_from_what_is_shown(counts: list[list[int]], threshold: int) -> None:
    table = suppress_table(counts, threshold=threshold)
    if table.withheld_all:  # nothing is shown at all, zeros included
        assert {table.label(i, j) for i in range(len(counts) + 1) for j in range(len(counts[0]) + 1)} == {"[c]"}
        return
    for row, column in zip(*np.nonzero(table.status == PRIMARY), strict=True):
        low, high = _integer_range(table, int(row), int(column))
        assert high - low >= 1, (counts, row, column, table.status)


@settings(max_examples=150, deadline=None)
@given(counts_tables, st.sampled_from([3, 5, 10]))
def test_every_small_count_is_hidden_and_nothing_else_is_changed(counts: list[list[int]], threshold: int) -> None:
    table = suppress_table(counts, threshold=threshold)
    values = with_totals(counts)
    assert (table.values == values).all()
    if table.withheld_all:
        assert (table.status == SECONDARY).all()
        return
    small = (values >= 1) & (values < threshold)
    assert (table.status[small] == PRIMARY).all()
    # Zeros are never withheld and "[c]" cells are never small.
    assert (table.status[values == 0] == "").all()
    assert (values[table.status == SECONDARY] >= threshold).all()
    for row in range(values.shape[0]):
        for column in range(values.shape[1]):
            label = table.label(row, column)
            if table.status[row, column] == PRIMARY:
                assert label == f"<{threshold}"
            elif table.status[row, column] == SECONDARY:
                assert label == "[c]"
            else:
                assert label == f"{values[row, column]:,}"


def test_a_row_with_one_small_count_withholds_a_second_cell() -> None:
    table = suppress_table([[3, 20, 40]])
    assert table.row_labels(0) == ["<5", "[c]", "40", "63"]
    # the column totals equal the cells in a one-row table, so they are withheld the same way
    assert table.row_labels(1) == ["<5", "[c]", "40", "63"]


def test_small_totals_are_suppressed_too() -> None:
    table = suppress_series([1, 0, 2])
    assert table.label(0, 3) == "<5"
    assert table.label(0, 1) == "0"


def test_a_pair_that_would_give_itself_away_takes_a_third_cell() -> None:
    # 1 and 5 in a row: total 6, and a reader knows "[c]" ≥ 5, so the small one must be 1.
    table = suppress_table([[1, 5, 30]])
    low, high = _integer_range(table, 0, 0)
    assert high > low
    assert table.status[0, 2] == SECONDARY or table.status[0, 3] == SECONDARY


def test_a_table_that_cannot_be_protected_is_withheld_whole() -> None:
    # Under a threshold of 3, two cells of 1 with a total "<3" must both be 1.
    table = suppress_table([[1, 1, 0]], threshold=3)
    assert table.withheld_all
    assert table.row_labels(0) == ["[c]"] * 4


def test_threshold_one_or_less_shows_everything() -> None:
    table = suppress_table([[1, 2], [3, 4]], threshold=1)
    assert not table.any_hidden()
    assert not table.suppressed


def test_exact_view_shows_every_number() -> None:
    table = SuppressedTable.exact([[1, 2], [3, 4]])
    assert [table.label(0, j) for j in range(3)] == ["1", "2", "3"]
    assert table.label(2, 2) == "10"


def test_withhold_forces_a_cell() -> None:
    table = suppress_table([[10, 20], [30, 40]], withhold=[(0, 2)])
    assert table.status[0, 2] == SECONDARY
    assert table.any_hidden()


def test_an_empty_table_has_a_zero_total() -> None:
    table = suppress_table([])
    assert table.shape == (0, 0) and table.label(0, 0) == "0"


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        suppress_table([[1, -1]])
    with pytest.raises(ValueError, match="table"):
        suppress_table([1, 2])  # type: ignore[list-item]


@settings(max_examples=100, deadline=None)
@given(counts_tables, st.data())
def test_kept_cells_are_never_withheld_as_secondary(counts: list[list[int]], data: st.DataObject) -> None:
    values = with_totals(counts)
    kept = (data.draw(st.integers(0, values.shape[0] - 1)), data.draw(st.integers(0, values.shape[1] - 1)))
    table = suppress_table(counts, keep=[kept])
    if table.withheld_all:
        return
    assert table.status[kept] != SECONDARY
    for row, column in zip(*np.nonzero(table.status == PRIMARY), strict=True):
        low, high = _integer_range(table, int(row), int(column))
        assert high - low >= 1


def test_rolling_sums_need_a_full_window_and_no_withheld_month() -> None:
    from c2hub.outcomes.selectors import rolling_sums

    assert rolling_sums([1, 2, 3, 4], window=3) == [None, None, 6, 9]
    assert rolling_sums([1, None, 3, 4, 5], window=3) == [None, None, None, None, 12]
    assert rolling_sums(list(range(14)))[-1] == sum(range(2, 14))


@settings(max_examples=200, deadline=None)
@given(counts_tables, st.sampled_from([3, 5]), st.data())
def test_the_cycle_search_agrees_with_integer_programming(counts: list[list[int]], threshold: int,
                                                        data: st.DataObject) -> None:
    """For any choice of withheld cells, the module's path search and an integer-programming solver
    agree on which small counts a reader could work out (both ways: nothing missed, nothing extra)."""
    from c2hub.outcomes.suppression import can_take_another_value

    values = with_totals(counts)
    status = np.full(values.shape, "", dtype=object)
    status[(values >= 1) & (values < threshold)] = PRIMARY
    for i, j in zip(*np.nonzero(values >= threshold), strict=True):
        if data.draw(st.booleans()):
            status[i, j] = SECONDARY
    table = SuppressedTable(values=values, status=status, threshold=threshold)
    for i, j in zip(*np.nonzero(status == PRIMARY), strict=True):
        low, high = _integer_range(table, int(i), int(j))
        assert can_take_another_value(values, status, threshold, int(i), int(j)) == (high - low >= 1)
