"""The catalog: the shipped one is valid, and each kind of bad catalog is refused by name."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from kz2h_assets.catalog import DEFAULT_CATALOG_PATH, CatalogError, load_catalog, parse_catalog, section_spans

RAW: dict[str, Any] = yaml.safe_load(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"))

EXPECTED_ORDER = {
    "kz2h-micrograd": 100,
    "kz2h-makemore-bigram": 110,
    "kz2h-makemore-mlp": 120,
    "p2-bengio-lm-paper": 130,
    "kz2h-makemore-batchnorm": 140,
    "kz2h-makemore-backprop": 150,
    "p2-resnet-paper": 160,
    "kz2h-makemore-wavenet": 170,
    "kz2h-building-gpt": 180,
    "attention-paper": 190,
    "kz2h-tokenizers": 200,
}


def test_shipped_catalog_is_valid_and_complete() -> None:
    catalog = load_catalog()
    assert {r.id: r.sort_order for r in catalog.resources} == EXPECTED_ORDER
    assert catalog.resource_ids == sorted(EXPECTED_ORDER, key=EXPECTED_ORDER.__getitem__)
    concept_ids = {c.id for c in catalog.concepts}
    assert {
        "character-level-lm",
        "neural-language-model",
        "activation-functions-batchnorm",
        "deep-architectures",
        "attention-mechanism",
        "transformer-architecture",
        "tokenization-bpe",
        "word-embeddings",
        "linear-algebra-ml",
    } <= concept_ids
    for resource in catalog.resources:
        assert 4 <= len(resource.sections) <= 6, resource.id
    micrograd = catalog.resource("kz2h-micrograd")
    assert micrograd.source.url.endswith("VMj-3S1tku0") and micrograd.duration_seconds == 8752
    assert len(micrograd.chapters) == 22 and len(micrograd.sections) == 5
    assert catalog.glossary and any(term.es is None for term in catalog.glossary)
    assert "karpathy-intro-llms" in catalog.archived_resources and "p0-*" in catalog.archived_resources


def test_video_sections_tile_the_whole_video() -> None:
    catalog = load_catalog()
    for resource in catalog.resources:
        if resource.kind != "video":
            continue
        spans = section_spans(resource)
        assert spans[0][1] == 0 and spans[-1][2] == resource.duration_seconds
        for (_, _, end), (_, start, _) in zip(spans, spans[1:], strict=False):
            assert end == start


def _mutated(mutate: Callable[[dict[str, Any]], None]) -> str:
    data = copy.deepcopy(RAW)
    mutate(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _resource(data: dict[str, Any], resource_id: str) -> dict[str, Any]:
    return next(r for r in data["resources"] if r["id"] == resource_id)


def _dup_resource(d: dict[str, Any]) -> None:
    d["resources"].append(copy.deepcopy(_resource(d, "kz2h-micrograd")) | {"sort_order": 999})


def _dup_sort(d: dict[str, Any]) -> None:
    _resource(d, "kz2h-tokenizers")["sort_order"] = 100


def _unknown_concept(d: dict[str, Any]) -> None:
    _resource(d, "kz2h-micrograd")["sections"][0]["concepts"].append("quantum-backprop")


def _cycle(d: dict[str, Any]) -> None:
    by_id = {c["id"]: c for c in d["concepts"]}
    by_id["linear-algebra-ml"].setdefault("prerequisites", []).append("transformer-architecture")
    by_id["transformer-architecture"].setdefault("prerequisites", []).append("attention-mechanism")
    by_id["attention-mechanism"].setdefault("prerequisites", []).append("linear-algebra-ml")


def _requires_later(d: dict[str, Any]) -> None:
    _resource(d, "kz2h-micrograd")["requires"].append("tokenization-bpe")


def _overlap(d: dict[str, Any]) -> None:
    sections = _resource(d, "kz2h-micrograd")["sections"]
    sections[1]["first"] = sections[0]["last"]


def _gap(d: dict[str, Any]) -> None:
    r = _resource(d, "kz2h-micrograd")
    ats = [c["at"] for c in r["chapters"]]
    r["sections"][1]["first"] = ats[ats.index(r["sections"][1]["first"]) + 1]


def _past_end(d: dict[str, Any]) -> None:
    _resource(d, "kz2h-micrograd")["sections"][-1]["last"] = "02:59:00"


def _chapter_past_end(d: dict[str, Any]) -> None:
    _resource(d, "kz2h-micrograd")["duration_seconds"] = 8000


def _no_concepts(d: dict[str, Any]) -> None:
    _resource(d, "kz2h-makemore-mlp")["sections"][2]["concepts"] = []


def _extra_key(d: dict[str, Any]) -> None:
    _resource(d, "p2-resnet-paper")["sections"][0]["quiz_count"] = 12


def _video_without_duration(d: dict[str, Any]) -> None:
    del _resource(d, "kz2h-tokenizers")["duration_seconds"]


def _teaches_and_requires(d: dict[str, Any]) -> None:
    r = _resource(d, "kz2h-building-gpt")
    r["requires"].append(r["teaches"][0])


BAD = [
    (_dup_resource, "resource kz2h-micrograd", "duplicate resource id"),
    (_dup_sort, "kz2h-micrograd, kz2h-tokenizers", "duplicate sort_order 100"),
    (_unknown_concept, "resource kz2h-micrograd section value-and-dag", "unknown concept 'quantum-backprop'"),
    (_cycle, "concepts", "prerequisite cycle"),
    (_requires_later, "resource kz2h-micrograd requires tokenization-bpe", "not taught by an earlier resource"),
    (_overlap, "resource kz2h-micrograd section chain-rule", "overlaps the previous section"),
    (_gap, "resource kz2h-micrograd section chain-rule", "leaves a gap"),
    (_past_end, "resource kz2h-micrograd section training-loop", "runs past the end: '02:59:00'"),
    (_chapter_past_end, "resource kz2h-micrograd chapter 02:14:03", "starts past the end of the video"),
    (_no_concepts, "resource kz2h-makemore-mlp section", "has no concepts"),
    (_extra_key, "resources[6] (p2-resnet-paper).sections[0] (", "quiz_count: Extra inputs are not permitted"),
    (_video_without_duration, "resources[10] (kz2h-tokenizers)", "a video needs duration_seconds"),
    (_teaches_and_requires, "resource kz2h-building-gpt", "both requires and teaches"),
]


@pytest.mark.parametrize(("mutate", "entry", "rule"), BAD, ids=[m.__name__.strip("_") for m, _, _ in BAD])
def test_bad_catalog_is_refused_naming_file_entry_and_rule(
    mutate: Callable[[dict[str, Any]], None], entry: str, rule: str
) -> None:
    with pytest.raises(CatalogError) as info:
        parse_catalog(_mutated(mutate), "bad/phase2.yaml")
    message = str(info.value)
    assert "catalog bad/phase2.yaml is invalid" in message
    assert entry in message, message
    assert rule in message, message


def test_unreadable_and_non_yaml_files(tmp_path) -> None:
    with pytest.raises(CatalogError, match="cannot read the file"):
        load_catalog(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("resources: [unclosed\n")
    with pytest.raises(CatalogError, match=r"(?s)broken.yaml is invalid.*not valid YAML"):
        load_catalog(broken)
