"""Column contract, empty frames and ISO-week helpers."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from pandas.testing import assert_series_equal
from test_metrics_scenario import days

from metrics import frames


def test_empty_frames_have_the_contract_columns_and_dtypes() -> None:
    entries = frames.empty_entries()

    assert list(entries.columns) == list(frames.ENTRY_COLUMNS)
    assert len(entries) == 0
    assert str(entries["work_date"].dtype) == "datetime64[ns]"
    assert str(entries["count"].dtype) == "int64"
    assert list(frames.empty_checkins().columns) == ["rep_id", "work_date"]
    assert list(frames.empty_expected().columns) == ["rep_id", "team", "work_date"]
    assert str(frames.empty_targets()["weekly_calls"].dtype) == "float64"
    assert list(frames.empty_call_type_targets().columns) == ["rep_id", "call_type", "weekly_calls"]


@pytest.mark.parametrize(
    ("day", "label", "monday"),
    [
        ("2026-11-26", "2026-W48", "2026-11-23"),
        ("2026-11-29", "2026-W48", "2026-11-23"),
        ("2026-11-30", "2026-W49", "2026-11-30"),
        ("2027-01-01", "2026-W53", "2026-12-28"),
        ("2024-12-30", "2025-W01", "2024-12-30"),
    ],
)
def test_iso_week_label_and_start(day: str, label: str, monday: str) -> None:
    assert frames.iso_week_label(day) == label
    assert frames.iso_week_label(date.fromisoformat(day)) == label
    assert frames.week_start(day) == pd.Timestamp(monday)


def test_column_helpers_match_the_scalar_ones() -> None:
    dates = days("2026-11-26", "2027-01-01", "2026-11-30")

    assert list(frames.iso_week_labels(dates)) == ["2026-W48", "2026-W53", "2026-W49"]
    assert_series_equal(frames.week_starts(dates), days("2026-11-23", "2026-12-28", "2026-11-30"))


def test_dates_of_any_unit_become_midnight_nanoseconds() -> None:
    micro = pd.Series(pd.to_datetime(["2026-11-26 15:30"])).astype("datetime64[us]")
    objects = pd.Series([date(2026, 11, 26)], dtype="object")

    assert_series_equal(frames.as_dates(micro), days("2026-11-26"))
    assert_series_equal(frames.as_dates(objects), days("2026-11-26"))
    assert frames.to_day("2026-11-26").unit == "ns"


def test_window_start_counts_the_week_of_end_as_the_last() -> None:
    assert frames.window_start("2026-11-26", 1) == pd.Timestamp("2026-11-23")
    assert frames.window_start("2026-11-26", 4) == pd.Timestamp("2026-11-02")
    with pytest.raises(ValueError, match="at least one week"):
        frames.window_start("2026-11-26", 0)


def test_between_keeps_both_ends() -> None:
    frame = pd.DataFrame(
        {"work_date": days("2026-11-22", "2026-11-23", "2026-11-29", "2026-11-30")}
    )

    kept = frames.between(frame, "2026-11-23", date(2026, 11, 29))

    assert list(kept["work_date"].dt.day) == [23, 29]
