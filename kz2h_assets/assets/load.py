"""The ``load`` group: a partition's sections, questions and concept lineage written to the platform tables."""

from typing import Any

import dagster as dg

from ..catalog import load_catalog
from ..content.models import ResourceQuestions, ResourceSections
from ..content.store import load_content
from ..db import DatabaseError
from ..load import load_resource
from ..partitions import resource_partitions
from ..resources import LLM, Database
from .catalog import sync_catalog_tables
from .content import concept_sections, questions
from .llm_support import standin_refusal

LOAD_CODE_VERSION = "load-v1"

RESOURCE_SECTIONS = dg.AssetKey(["platform", "resource_sections"])
QUESTION_BANK = dg.AssetKey(["platform", "question_bank"])
RESOURCE_CONCEPTS = dg.AssetKey(["platform", "resource_concepts"])
_CATALOG_KEYS = {k.path[-1]: k for k in sync_catalog_tables.keys}


def _schema(*columns: tuple[str, str, str]) -> dg.TableSchema:
    return dg.TableSchema(columns=[dg.TableColumn(name, type_, description=d) for name, type_, d in columns])


_COMMON = [
    ("content_hash", "text", "hash of the row's content: unchanged rows are not touched"),
    ("locked", "boolean", "a person edited the row on the platform: never overwritten"),
    ("archived_at", "timestamptz", "set when the row is no longer produced (never deleted)"),
    ("run_id", "text", "the Dagster run that last wrote the row"),
]
SCHEMAS = {
    "resource_sections": _schema(
        ("id", "uuid", "uuid5(resource, section slug)"),
        ("resource_id", "text", "→ resources"),
        ("position", "integer", ""),
        ("slug", "text", ""),
        ("title", "text", ""),
        ("title_es", "text", ""),
        ("content_es", "text", ""),
        ("content_en", "text", ""),
        ("summary_es", "text", ""),
        ("start_seconds", "numeric", "videos: link with watch?v=ID&t=S"),
        ("end_seconds", "numeric", ""),
        ("page_start", "integer", "papers"),
        ("page_end", "integer", "papers"),
        ("concepts", "text[]", ""),
        ("is_standin", "boolean", "produced by the local stand-in"),
        *_COMMON,
    ),  # fmt: skip
    "question_bank": _schema(
        ("id", "uuid", "uuid5(resource, section, kind, position)"),
        ("resource_id", "text", "→ resources"),
        ("resource_section_id", "uuid", "→ resource_sections, ON DELETE RESTRICT"),
        ("kind", "text", "quiz | exercise | reading"),
        ("concept_id", "text", "→ concepts"),
        ("position", "integer", ""),
        ("prompt", "text", ""),
        ("options", "jsonb", "quiz: four options"),
        ("correct_index", "smallint", "quiz"),
        ("explanation", "text", ""),
        ("body", "jsonb", "exercise details"),
        ("citation", "jsonb", "segment id and English quote"),
        ("is_standin", "boolean", ""),
        *_COMMON,
    ),  # fmt: skip
    "resource_concepts": _schema(
        ("id", "uuid", "uuid5(resource, concept, relation, provenance, section)"),
        ("resource_id", "text", "→ resources"),
        ("concept_id", "text", "→ concepts"),
        ("relation", "text", "teaches | requires"),
        ("provenance", "text", "catalog | section"),
        ("resource_section_id", "uuid", "the section that teaches it (provenance section)"),
        *_COMMON,
    ),  # fmt: skip
}

_CONCEPT_LINEAGE = dg.TableColumnLineage(
    deps_by_column={
        "resource_id": [dg.TableColumnDep(_CATALOG_KEYS["resources"], "id")],
        "concept_id": [
            dg.TableColumnDep(_CATALOG_KEYS["concepts"], "id"),
            dg.TableColumnDep(concept_sections.key, "concepts"),
        ],
        "resource_section_id": [dg.TableColumnDep(RESOURCE_SECTIONS, "id")],
        "relation": [dg.TableColumnDep(_CATALOG_KEYS["catalog_resource_concepts"], "relation")],
    }
)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            RESOURCE_SECTIONS, deps=[concept_sections, _CATALOG_KEYS["resources"]], group_name="load",
            kinds={"postgres", "table"}, owners=["team:kz2h-assets"], code_version=LOAD_CODE_VERSION,
            partitions_def=resource_partitions,
            description="The platform's `resource_sections` rows for this resource.",
            metadata={"dagster/column_schema": SCHEMAS["resource_sections"]},
        ),
        dg.AssetSpec(
            QUESTION_BANK, deps=[questions, RESOURCE_SECTIONS], group_name="load", kinds={"postgres", "table"},
            owners=["team:kz2h-assets"], code_version=LOAD_CODE_VERSION, partitions_def=resource_partitions,
            description="The platform's `question_bank` rows (quiz, exercise, reading) for this resource.",
            metadata={"dagster/column_schema": SCHEMAS["question_bank"]},
        ),
        dg.AssetSpec(
            RESOURCE_CONCEPTS,
            deps=[concept_sections, RESOURCE_SECTIONS, *_CATALOG_KEYS.values()],
            group_name="load", kinds={"postgres", "table"}, owners=["team:kz2h-assets"],
            code_version=LOAD_CODE_VERSION, partitions_def=resource_partitions,
            description=(
                "Lineage to `resource_concepts`: the concepts each section of this resource teaches (provenance "
                "`section`, with the section id and run id), beside the catalog's declarations."
            ),
            metadata={
                "dagster/column_schema": SCHEMAS["resource_concepts"],
                "dagster/column_lineage": _CONCEPT_LINEAGE,
            },
        ),
    ],
    name="load_platform_rows",
    can_subset=False,
    partitions_def=resource_partitions,
)  # fmt: skip
def load_platform_rows(context: dg.AssetExecutionContext, database: Database, llm: LLM):
    """One transaction per partition: all rows or none."""
    resource = load_catalog().resource(context.partition_key)
    engine = database.get_engine()
    with engine.connect() as conn:
        sections = load_content(conn, resource.id, ResourceSections)
        produced = load_content(conn, resource.id, ResourceQuestions)
    if sections is None or produced is None:
        raise dg.Failure(f"{resource.id}: no stored content; materialize concept_sections and questions first")
    refusal = standin_refusal(llm, database.is_local(), sections.is_standin or produced.is_standin)
    if refusal:
        raise dg.Failure(refusal, allow_retries=False)
    try:
        with engine.begin() as conn:
            counts = load_resource(conn, sections, produced, context.run.run_id)
    except DatabaseError as exc:
        raise dg.Failure(f"{resource.id}: {exc}. Nothing was written.", allow_retries=False) from None
    except Exception as exc:  # a database that goes away mid-load: the transaction rolled back
        raise dg.Failure(
            f"{resource.id}: the load failed and was rolled back, the database is as it was "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}). Check the database and "
            "run again."
        ) from None
    for key, table in ((RESOURCE_SECTIONS, "resource_sections"), (QUESTION_BANK, "question_bank"),
                       (RESOURCE_CONCEPTS, "resource_concepts")):  # fmt: skip
        c = counts[table]
        metadata: dict[str, Any] = {
            **{f"rows {label}": value for label, value in c.as_metadata().items()},
            "dagster/row_count": c.inserted + c.updated + c.unchanged + len(c.locked_skipped),
            "database": database.display_url(),
        }
        if c.locked_skipped:
            metadata["locked rows left as edited"] = ", ".join(c.locked_skipped[:20])
        yield dg.MaterializeResult(asset_key=key, metadata=metadata)
