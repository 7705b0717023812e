"""The content group against the stand-in: sections and questions per partition, validated and stored."""

from __future__ import annotations

import dagster as dg
import sqlalchemy as sa

from kz2h_assets.assets import content as content_assets
from kz2h_assets.assets import source as source_assets
from kz2h_assets.assets import translation as translation_assets
from kz2h_assets.content.models import ResourceQuestions
from kz2h_assets.content.store import load_content
from kz2h_assets.resources import LLM, Database, SourceFetcher
from kz2h_assets.sources import SAMPLES_DIR

from .standin_server import running_standin

ASSETS = [
    source_assets.source_text,
    source_assets.segments,
    translation_assets.translated_segments,
    content_assets.concept_sections,
    content_assets.questions,
]


def test_sections_and_questions_for_a_video_and_a_paper(database_url: str) -> None:
    with running_standin() as server:
        for partition in ("kz2h-micrograd", "attention-paper"):
            result = dg.materialize(
                ASSETS,
                partition_key=partition,
                resources={
                    "database": Database(url=database_url),
                    "sources": SourceFetcher(sources_dir=str(SAMPLES_DIR)),
                    "llm": LLM(api_key="sk-test", base_url=server.url),
                },
                raise_on_error=False,
            )
            assert result.success, partition
            sections = {
                k: v.value for k, v in result.asset_materializations_for_node("concept_sections")[0].metadata.items()
            }
            questions = {k: v.value for k, v in result.asset_materializations_for_node("questions")[0].metadata.items()}
            assert sections["re_asks"] == 0 and sections["standin_output"] is True
            assert 12 <= questions["quizzes"] <= 20 and questions["exercises"] == 3
            assert 5 <= questions["reading_questions"] <= 9
            assert "(missing" not in sections["concepts_covered_vs_taught"]
            assert "✓" in questions["questions"]
            engine = sa.create_engine(database_url)
            with engine.connect() as conn:
                doc = load_content(conn, partition, ResourceQuestions)
            engine.dispose()
            assert doc is not None
            citations = [q.citation for s in doc.sections for q in s.quizzes]
            if partition == "attention-paper":
                assert all(c.page is not None and c.seconds is None for c in citations)
            else:
                assert all(c.seconds is not None and c.page is None for c in citations)
