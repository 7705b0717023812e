"""The repo's dagster.yaml is a valid instance config with the pool limit and run monitoring it documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg

from .conftest import REPO


def test_dagster_yaml_loads_and_limits_the_deepseek_pool(tmp_path: Path) -> None:
    shutil.copyfile(REPO / "dagster.yaml", tmp_path / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert instance.event_log_storage.supports_global_concurrency_limits
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 6
        assert instance.run_monitoring_enabled
        assert instance.run_monitoring_settings["free_slots_after_run_end_seconds"] == 30


def test_dagster_yaml_starts_a_backfills_runs_together(tmp_path: Path) -> None:
    shutil.copyfile(REPO / "dagster.yaml", tmp_path / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        coordinator = instance.run_coordinator
        assert isinstance(coordinator, dg.QueuedRunCoordinator)
        # What the run queue daemon reads: `concurrency > runs` merged over the coordinator's own settings.
        run_queue = instance.get_concurrency_config().run_queue_config
        assert run_queue is not None and run_queue.max_concurrent_runs == 12  # one per partition
        assert coordinator.dequeue_interval_seconds == 1
        assert coordinator.dequeue_use_threads and coordinator.dequeue_num_workers == 4
