"""One partition per catalog resource, in the catalog's sort order. One definition for the whole chain."""

from __future__ import annotations

import dagster as dg

from .catalog import load_catalog

resource_partitions = dg.StaticPartitionsDefinition(load_catalog().resource_ids)
