"""Chat-completions request and response shapes.

Our own request forbids unknown fields. The provider's response is parsed leniently
(``extra="ignore"``): OpenAI-compatible servers add fields of their own, and only the
ones named here are used.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Literal["system", "user", "assistant"]
    content: str


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str
    messages: list[ChatMessage] = Field(min_length=1)
    temperature: float = 0.2
    max_tokens: int = Field(default=4096, ge=1)
    response_format: dict[str, Any] | None = None
    # DeepSeek: thinking mode is on by default and bills reasoning tokens as output.
    thinking: dict[str, str] | None = Field(default_factory=lambda: {"type": "disabled"})

    def body(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class Usage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_cache_hit_tokens: int = 0
    prompt_cache_miss_tokens: int = 0

    def cache_split(self) -> tuple[int, int]:
        """(hit, miss) prompt tokens; servers without cache fields count everything as a miss."""
        if self.prompt_cache_hit_tokens or self.prompt_cache_miss_tokens:
            return self.prompt_cache_hit_tokens, self.prompt_cache_miss_tokens
        return 0, self.prompt_tokens


class _ResponseMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    content: str | None = None


class _Choice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    message: _ResponseMessage
    finish_reason: str | None = None


class ChatCompletion(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = ""
    model: str = ""
    system_fingerprint: str | None = None
    choices: list[_Choice] = Field(min_length=1)
    usage: Usage = Field(default_factory=Usage)

    @property
    def content(self) -> str:
        return self.choices[0].message.content or ""

    @property
    def finish_reason(self) -> str | None:
        return self.choices[0].finish_reason

    @property
    def is_standin(self) -> bool:
        return "kz2h-standin" in (self.model, self.system_fingerprint or "")
