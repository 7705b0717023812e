"""Thin Dagster assets: orchestration, metadata and clear failures. Logic lives in the stage modules."""
