-- 002: working state of the source stage (schema kz2h, not read by the platform).
-- A source is fetched once and stored; later runs reuse it unless asked to refresh.

CREATE SCHEMA IF NOT EXISTS kz2h;

CREATE TABLE IF NOT EXISTS kz2h.source_documents (
    resource_id   text PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('video', 'paper')),
    origin        text NOT NULL,            -- a URL or a local file path
    format        text NOT NULL,            -- youtube, json, vtt, srt, txt, pdf
    is_generated  boolean,                  -- videos: auto-generated captions
    word_count    integer NOT NULL CHECK (word_count > 0),
    document      jsonb NOT NULL,           -- Transcript or PaperText (pydantic models)
    raw           bytea,                    -- the PDF as downloaded, for re-extraction
    sha256        text NOT NULL,            -- of the document
    fetched_at    timestamptz NOT NULL DEFAULT now(),
    run_id        text
);

CREATE TABLE IF NOT EXISTS kz2h.segments (
    resource_id   text NOT NULL,
    id            text NOT NULL,            -- stable: from resource, section and text
    position      integer NOT NULL CHECK (position >= 0),
    section       text NOT NULL,
    text_en       text NOT NULL,
    words         integer NOT NULL CHECK (words > 0),
    start_seconds numeric(10, 3),
    end_seconds   numeric(10, 3),
    page_start    integer,
    page_end      integer,
    run_id        text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (resource_id, id),
    UNIQUE (resource_id, position)
);
