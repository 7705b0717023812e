"""The weekly scheduled backfill (declarative automation).

Every Monday at 03:00 UTC each asset of the graph becomes due (``on_cron``) and is
requested once its upstream assets have updated since the tick: the catalog first, then
every partition's chain. The sensor emits the requests as one backfill. Thanks to stored
sources, reused LLM calls and content hashes, an unchanged partition costs no API call
and writes no row; a missing or stale partition (new source, catalog, prompt or code
version) is rebuilt. Steps that call the LLM queue on the ``deepseek`` pool, so the
backfill never exceeds the limit in dagster.yaml.
"""

import dagster as dg

WEEKLY_CRON = "0 3 * * 1"
WEEKLY = dg.AutomationCondition.on_cron(WEEKLY_CRON, "UTC")

weekly_refresh = dg.AutomationConditionSensorDefinition(
    "weekly_refresh",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    emit_backfills=True,
    description=(
        "Weekly backfill (Mondays 03:00 UTC) of the catalog and every partition's chain; unchanged partitions "
        "cost no API call. Runs under the deepseek pool limit."
    ),
)
