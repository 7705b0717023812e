"""Asset checks fail when they should: a blocking check stops the load, drifted rows and stand-in rows
in a non-local database are reported, and the pure rules name what is wrong."""

from __future__ import annotations

import dagster as dg
import pytest
import sqlalchemy as sa

from kz2h_assets.checks import question_problems, section_problems
from kz2h_assets.content.models import ResourceQuestions, ResourceSections
from kz2h_assets.content.store import load_content
from kz2h_assets.definitions import build_definitions
from kz2h_assets.resources import Database
from kz2h_assets.sources.store import load_segments

from .conftest import LOAD_KEYS, PARTITION, edit_stored_questions, platform_rows

pytestmark = pytest.mark.slow
QUESTIONS_CHECK = dg.AssetCheckKey(dg.AssetKey("questions"), "questions_complete_and_grounded")


def _run(defs: dg.Definitions, assets: list[dg.AssetKey], checks: set[dg.AssetCheckKey]) -> dg.ExecuteInProcessResult:
    job = defs.resolve_implicit_global_asset_job_def().get_subset(
        asset_selection=set(assets), asset_check_selection=checks
    )
    return job.execute_in_process(partition_key=PARTITION, raise_on_error=False)


def _evaluation(result: dg.ExecuteInProcessResult, name: str) -> dg.AssetCheckEvaluation:
    return next(e for e in result.get_asset_check_evaluations() if e.check_name == name)


def test_a_failed_blocking_check_stops_the_load(loaded) -> None:  # type: ignore[no-untyped-def]
    defs, engine = loaded

    def unground_a_quote(doc: dict) -> None:
        doc["sections"][0]["quizzes"][0]["citation"]["quote_en"] = "a sentence the source never said"
        doc["sections"][0]["quizzes"][0]["prompt"] = "¿Se publicaría esta pregunta?"

    edit_stored_questions(engine, unground_a_quote)
    before = platform_rows(engine)
    result = _run(defs, LOAD_KEYS, {QUESTIONS_CHECK})
    evaluation = _evaluation(result, "questions_complete_and_grounded")
    assert not evaluation.passed
    assert "quote not found" in str(evaluation.metadata["problems"].value)
    assert not result.asset_materializations_for_node("load_platform_rows")  # the load did not run
    assert platform_rows(engine) == before


def test_rows_that_drifted_from_the_content_are_reported_and_locked_ones_are_not(loaded) -> None:  # type: ignore[no-untyped-def]
    defs, engine = loaded
    check = {dg.AssetCheckKey(LOAD_KEYS[1], "rows_match_content")}
    assert _evaluation(_run(defs, [], check), "rows_match_content").passed
    with engine.begin() as conn:
        edited, drifted = conn.execute(
            sa.text("SELECT id FROM question_bank WHERE resource_id = :r ORDER BY id LIMIT 2"), {"r": PARTITION}
        ).scalars()
        conn.execute(
            sa.text(
                "UPDATE question_bank SET prompt = 'Editada', content_hash = 'edited', locked = true WHERE id = :q"
            ),
            {"q": edited},
        )
        conn.execute(sa.text("UPDATE question_bank SET content_hash = 'drifted' WHERE id = :q"), {"q": drifted})
    evaluation = _evaluation(_run(defs, [], check), "rows_match_content")
    assert not evaluation.passed and evaluation.metadata["problem_count"].value == 1
    problems = str(evaluation.metadata["problems"].value)
    assert str(drifted) in problems and str(edited) not in problems


class _RemoteLookingDatabase(Database):
    """The test database, reported as not local: what a Supabase URL looks like to the checks."""

    def is_local(self) -> bool:
        return False


def test_standin_content_never_reaches_a_database_that_is_not_local(loaded) -> None:  # type: ignore[no-untyped-def]
    defs, engine = loaded
    llm, sources = defs.resources["llm"], defs.resources["sources"]
    remote = _RemoteLookingDatabase(url=defs.resources["database"].url)
    with engine.begin() as conn:  # stale hashes: the load would rewrite every question
        conn.execute(sa.text("UPDATE question_bank SET content_hash = 'old' WHERE resource_id = :r"), {"r": PARTITION})
    before = platform_rows(engine)
    check = {dg.AssetCheckKey(LOAD_KEYS[1], "no_standin_in_remote_database")}

    refused = _run(build_definitions(remote, sources, llm), LOAD_KEYS, check)
    assert not refused.success
    error = refused.get_step_failure_events()[0].step_failure_data.error
    assert error is not None and "stand-in" in error.message and "DEEPSEEK_BASE_URL" in error.message
    assert platform_rows(engine) == before

    # A throwaway database may take stand-in text when asked to; the check still says so.
    allowed = build_definitions(remote, sources, llm.model_copy(update={"allow_standin_remote": True}))
    evaluation = _evaluation(_run(allowed, [], check), "no_standin_in_remote_database")
    assert not evaluation.passed and evaluation.metadata["standin_rows"].value > 0
    assert evaluation.metadata["database_is_local"].value is False


def test_the_rules_name_what_is_wrong(loaded) -> None:  # type: ignore[no-untyped-def]
    _, engine = loaded
    with engine.connect() as conn:
        sections = load_content(conn, PARTITION, ResourceSections)
        produced = load_content(conn, PARTITION, ResourceQuestions)
        segments = load_segments(conn, PARTITION)
    assert sections is not None and produced is not None
    ids = [s.id for s in segments]
    texts = {s.id: s.text for s in segments}
    assert section_problems(sections, PARTITION, ids) == []
    assert question_problems(produced, sections, texts) == []

    # A segment placed twice and another never placed; sections out of catalog order.
    broken = sections.model_dump()
    broken["sections"][0]["segment_ids"].append(broken["sections"][1]["segment_ids"][0])
    broken["sections"][-1]["segment_ids"].pop()
    problems = section_problems(ResourceSections.model_validate(broken), PARTITION, ids)
    assert any("more than one section" in p for p in problems)
    assert any(f"missing: {ids[-1]}" in p for p in problems)
    broken["sections"].reverse()
    problems = section_problems(ResourceSections.model_validate(broken), PARTITION, ids)
    assert any("do not follow the catalog" in p for p in problems)
    assert section_problems(None, PARTITION, ids) == ["no sections stored"]

    # Two options alike, a citation outside its section, one exercise too few.
    wrong = produced.model_dump()
    quiz = wrong["sections"][0]["quizzes"][0]
    quiz["options"][1] = quiz["options"][0].upper()
    other_section = next(s for s in sections.sections if s.slug != wrong["sections"][0]["section"])
    wrong["sections"][0]["quizzes"][1]["citation"]["segment_id"] = other_section.segment_ids[0]
    wrong["exercises"].pop()
    problems = question_problems(ResourceQuestions.model_validate(wrong), sections, texts)
    assert any("exactly one correct of four" in p for p in problems)
    assert any("outside its section" in p for p in problems)
    assert any("exercises; expected 3" in p for p in problems)
