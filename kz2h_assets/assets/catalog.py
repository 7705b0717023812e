"""The ``catalog`` group: validate phase2.yaml, then sync it into the platform tables."""

import hashlib
from typing import Any

import dagster as dg

from ..catalog import DEFAULT_CATALOG_PATH, Catalog, CatalogError, load_catalog
from ..catalog.sync import sync_catalog
from ..db import DatabaseError
from ..resources import Database

CATALOG_CODE_VERSION = "catalog-v1"


def _load() -> Catalog:
    try:
        return load_catalog()
    except CatalogError as exc:
        raise dg.Failure(
            description=f"{exc}\nFix the entries above in {exc.path} and materialize again.",
            allow_retries=False,
        ) from None


def catalog_hash() -> str:
    return hashlib.sha256(DEFAULT_CATALOG_PATH.read_bytes()).hexdigest()[:16]


def _resources_table(catalog: Catalog) -> str:
    lines = ["| sort | id | kind | sections | teaches | requires |", "|---:|---|---|---:|---|---|"]
    for r in sorted(catalog.resources, key=lambda r: r.sort_order):
        lines.append(
            f"| {r.sort_order} | `{r.id}` | {r.kind} | {len(r.sections)} | "
            f"{', '.join(r.teaches)} | {', '.join(r.requires) or '—'} |"
        )
    return "\n".join(lines)


@dg.asset(
    group_name="catalog",
    kinds={"yaml"},
    code_version=CATALOG_CODE_VERSION,
    owners=["team:kz2h-assets"],
    description=(
        "The Phase 2 catalog (kz2h_assets/catalog/phase2.yaml), validated: 11 resources with their "
        "official chapters and concept-mapped sections, the concept prerequisite graph, the glossary "
        "and the obsolete resources to archive. A bad entry fails here with the file, entry and rule."
    ),
)
def phase2_catalog(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    catalog = _load()
    digest = catalog_hash()
    context.log.info(f"catalog {DEFAULT_CATALOG_PATH.name} is valid ({digest})")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(DEFAULT_CATALOG_PATH)),
            "catalog_version": catalog.version,
            "content_hash": digest,
            "resources": len(catalog.resources),
            "sections": sum(len(r.sections) for r in catalog.resources),
            "concepts": len(catalog.concepts),
            "external_concepts": sum(1 for c in catalog.concepts if c.external),
            "glossary_terms": len(catalog.glossary),
            "archived_resource_patterns": len(catalog.archived_resources),
            "resources_table": dg.MetadataValue.md(_resources_table(catalog)),
        },
        data_version=dg.DataVersion(digest),
    )


_TABLE_SPECS = [
    dg.AssetSpec(
        key=dg.AssetKey(["platform", name]),
        deps=[phase2_catalog],
        group_name="catalog",
        kinds={"postgres", "table"},
        owners=["team:kz2h-assets"],
        description=description,
        code_version=CATALOG_CODE_VERSION,
    )
    for name, description in [
        ("resources", "Platform `resources` rows for Phase 2, upserted from the catalog; obsolete ones archived."),
        ("concepts", "Platform `concepts` and `concept_prerequisites` rows from the catalog's concept graph."),
        (
            "catalog_resource_concepts",
            "The catalog's declarations in `resource_concepts` (provenance `catalog`): which resource teaches "
            "or requires which concept, and the run that wrote them.",
        ),
    ]
]


@dg.multi_asset(specs=_TABLE_SPECS, name="sync_catalog_tables", can_subset=False)
def sync_catalog_tables(context: dg.AssetExecutionContext, database: Database):
    """Upsert the catalog into the platform tables in one transaction (archive, never delete)."""
    catalog = _load()
    try:
        engine = database.get_engine()
        with engine.begin() as conn:
            counts = sync_catalog(conn, catalog, run_id=context.run.run_id)
    except DatabaseError as exc:
        raise dg.Failure(description=str(exc), allow_retries=False) from None
    where = database.display_url()
    context.log.info(f"catalog synced into {where}")
    per_key = {
        "resources": {"resources": counts["resources"]},
        "concepts": {"concepts": counts["concepts"], "concept_prerequisites": counts["concept_prerequisites"]},
        "catalog_resource_concepts": {"resource_concepts": counts["resource_concepts"]},
    }
    for name, tables in per_key.items():
        metadata: dict[str, Any] = {"database": where}
        for table, c in tables.items():
            for label, value in c.as_metadata().items():
                metadata[f"{table} {label}"] = value
            if c.locked_skipped:
                metadata[f"{table} locked rows"] = ", ".join(c.locked_skipped[:20])
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["platform", name]), metadata=metadata)
