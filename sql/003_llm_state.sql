-- 003: the LLM call log (every call, with tokens and cost) and finished translations.
-- A successful response is reused for an identical request, so a re-run, a step retry
-- or a run after a crash never pays twice for finished work.

CREATE SCHEMA IF NOT EXISTS kz2h;

CREATE TABLE IF NOT EXISTS kz2h.llm_calls (
    id                 bigserial PRIMARY KEY,
    request_hash       text NOT NULL,
    resource_id        text,
    purpose            text NOT NULL,           -- translation, content, ...
    model              text NOT NULL,           -- as answered by the server
    status             text NOT NULL CHECK (status IN ('ok', 'failed')),
    attempts           integer NOT NULL CHECK (attempts >= 0),
    retried            text[] NOT NULL DEFAULT '{}',  -- what was retried: 429, 503, timeout, ...
    latency_ms         integer,
    prompt_tokens      integer NOT NULL DEFAULT 0,
    prompt_cache_hit_tokens  integer NOT NULL DEFAULT 0,
    prompt_cache_miss_tokens integer NOT NULL DEFAULT 0,
    completion_tokens  integer NOT NULL DEFAULT 0,
    cost_usd           numeric(12, 8),          -- NULL when no price is known for the model
    finish_reason      text,
    content            text,                    -- the reply: data, never executed
    error              text,
    rejected_reason    text,                    -- the reply failed validation: never reused
    is_standin         boolean NOT NULL DEFAULT false,
    run_id             text,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS llm_calls_reuse ON kz2h.llm_calls (request_hash)
    WHERE status = 'ok' AND rejected_reason IS NULL;
CREATE INDEX IF NOT EXISTS llm_calls_resource ON kz2h.llm_calls (resource_id, purpose);

CREATE TABLE IF NOT EXISTS kz2h.translations (
    resource_id    text NOT NULL,
    segment_id     text NOT NULL,
    source_sha256  text NOT NULL,                -- of the English text + prompt version
    text_es        text NOT NULL,
    attempts       integer NOT NULL,             -- asks, including re-asks after rejection
    call_id        bigint REFERENCES kz2h.llm_calls (id) ON DELETE SET NULL,
    model          text NOT NULL,
    is_standin     boolean NOT NULL DEFAULT false,
    run_id         text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (resource_id, segment_id)
);
