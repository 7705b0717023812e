"""Token prices: the row in effect on a date, peak hours on weekdays only, the free stand-in, and estimates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kz2h_assets.llm.models import Usage
from kz2h_assets.llm.prices import Price, cost_usd, off_peak_estimate_usd, price_for, price_table

WEDNESDAY_PEAK = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)  # 07:30 UTC, inside [6, 10)
WEDNESDAY_OFF_PEAK = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
SATURDAY_PEAK_HOUR = datetime(2026, 12, 5, 7, 30, tzinfo=UTC)
USAGE = Usage(prompt_tokens=1_000_000, prompt_cache_hit_tokens=400_000, prompt_cache_miss_tokens=600_000,
              completion_tokens=100_000)  # fmt: skip


def _flash() -> Price:
    price = price_for("deepseek-flash", WEDNESDAY_OFF_PEAK)
    assert price is not None
    return price


def test_the_table_loads_with_the_models_we_price() -> None:
    table = price_table()
    assert {p.model for p in table} >= {"deepseek-flash", "kz2h-standin"}
    for price in table:
        assert price.off_peak.output >= 0 and (price.peak is None or price.peak_hours_utc)


def test_peak_hours_apply_on_weekdays_only() -> None:
    flash = _flash()
    assert flash.peak is not None
    assert flash.rates_at(WEDNESDAY_PEAK) == flash.peak
    assert flash.rates_at(WEDNESDAY_OFF_PEAK) == flash.off_peak
    assert flash.rates_at(SATURDAY_PEAK_HOUR) == flash.off_peak


def test_a_call_costs_its_cache_hits_misses_and_output_at_the_rates_in_force() -> None:
    off = _flash().off_peak
    expected = 0.4 * off.cache_hit + 0.6 * off.cache_miss + 0.1 * off.output  # per million tokens
    assert cost_usd("deepseek-flash", USAGE, WEDNESDAY_OFF_PEAK) == pytest.approx(expected)
    peak = cost_usd("deepseek-flash", USAGE, WEDNESDAY_PEAK)
    assert peak is not None and peak > expected
    # A server that reports no cache split: every prompt token is a miss.
    plain = Usage(prompt_tokens=1_000_000, completion_tokens=0)
    assert cost_usd("deepseek-flash", plain, WEDNESDAY_OFF_PEAK) == pytest.approx(off.cache_miss)


def test_the_standin_is_free_and_unknown_models_or_dates_have_no_price() -> None:
    assert cost_usd("kz2h-standin-flash", USAGE, WEDNESDAY_OFF_PEAK) == 0.0
    assert cost_usd("gpt-unknown", USAGE, WEDNESDAY_OFF_PEAK) is None
    first = min(p.effective_from for p in price_table() if p.model == "deepseek-flash")
    before = datetime(first.year - 1, 1, 1, tzinfo=UTC)
    assert price_for("deepseek-flash", before) is None


def test_an_estimate_prices_tokens_off_peak() -> None:
    estimate = off_peak_estimate_usd("deepseek-flash", 400_000, 600_000, 100_000, WEDNESDAY_PEAK)
    assert estimate == pytest.approx(cost_usd("deepseek-flash", USAGE, WEDNESDAY_OFF_PEAK))
    assert off_peak_estimate_usd("gpt-unknown", 1, 1, 1, WEDNESDAY_PEAK) is None
