"""Token prices as data with effective dates (prices.yaml), and the cost of one call."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from .models import Usage

PRICES_PATH = Path(__file__).with_name("prices.yaml")


class Rates(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cache_hit: float
    cache_miss: float
    output: float

    def cost_usd(self, cache_hit: int, cache_miss: int, output: int) -> float:
        """These token counts at these rates (USD per million tokens)."""
        return (cache_hit * self.cache_hit + cache_miss * self.cache_miss + output * self.output) / 1_000_000


class Price(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str
    effective_from: date
    off_peak: Rates
    peak: Rates | None = None
    peak_hours_utc: list[tuple[int, int]] = []
    peak_weekdays_only: bool = True

    def rates_at(self, when: datetime) -> Rates:
        if self.peak is None:
            return self.off_peak
        if self.peak_weekdays_only and when.weekday() >= 5:
            return self.off_peak
        if any(start <= when.hour < end for start, end in self.peak_hours_utc):
            return self.peak
        return self.off_peak


@lru_cache(maxsize=1)
def price_table() -> tuple[Price, ...]:
    rows = yaml.safe_load(PRICES_PATH.read_text(encoding="utf-8"))
    return tuple(Price.model_validate(r) for r in rows)


def price_for(model: str, when: datetime) -> Price | None:
    """The price in effect for model at when (UTC); the standin is free; unknown → None."""
    name = "kz2h-standin" if "kz2h-standin" in model else model
    candidates = [p for p in price_table() if p.model == name and p.effective_from <= when.date()]
    return max(candidates, key=lambda p: p.effective_from) if candidates else None


def cost_usd(model: str, usage: Usage, when: datetime) -> float | None:
    price = price_for(model, when)
    if price is None:
        return None
    hit, miss = usage.cache_split()
    return price.rates_at(when).cost_usd(hit, miss, usage.completion_tokens)


def off_peak_estimate_usd(model: str, cache_hit: int, cache_miss: int, output: int, when: datetime) -> float | None:
    """What these token counts cost at ``model``'s off-peak list price in effect at ``when``."""
    price = price_for(model, when)
    if price is None:
        return None
    return price.off_peak.cost_usd(cache_hit, cache_miss, output)
