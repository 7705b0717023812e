"""Wiring only: assets, checks, jobs and resources."""

from __future__ import annotations

import os

import dagster as dg

from .assets import catalog as catalog_assets
from .resources import Database


def _database() -> Database:
    # EnvVar keeps the URL (it may hold a password) out of the UI's config view.
    if os.getenv("KZ2H_DATABASE_URL"):
        return Database(url=dg.EnvVar("KZ2H_DATABASE_URL"))
    return Database()


catalog_job = dg.define_asset_job(
    "catalog_sync",
    selection=dg.AssetSelection.groups("catalog"),
    description="Validate the catalog and sync resources, concepts and resource_concepts.",
)

database = _database()

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([catalog_assets]),
    jobs=[catalog_job],
    resources={"database": database},
)
