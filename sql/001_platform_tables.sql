-- 001: the platform tables kz2h-assets writes (Supabase-compatible plain SQL).
--
-- Re-ingestion never deletes: every content table has archived_at, a content_hash
-- to leave unchanged rows untouched, and locked for rows a person edited on the
-- platform (the pipeline never overwrites or archives a locked row).
--
-- ON DELETE, decided per foreign key:
--   * content that learner data may reference (resource_sections, question_bank)
--     uses RESTRICT: deleting it by hand fails loudly instead of wiping history;
--   * pure mapping rows (resource_concepts, concept_prerequisites) CASCADE with
--     the row they describe: they mean nothing without it.
-- Safe to run twice: IF NOT EXISTS everywhere.

CREATE TABLE IF NOT EXISTS resources (
    id               text PRIMARY KEY,
    kind             text NOT NULL,
    title            text NOT NULL,
    title_es         text,
    phase            smallint NOT NULL,
    sort_order       integer NOT NULL,
    source_url       text,
    youtube_id       text,
    duration_seconds integer CHECK (duration_seconds > 0),
    pages            integer CHECK (pages > 0),
    content_hash     text,
    locked           boolean NOT NULL DEFAULT false,
    archived_at      timestamptz,
    run_id           text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS resources_live_sort_order
    ON resources (phase, sort_order) WHERE archived_at IS NULL;

CREATE TABLE IF NOT EXISTS concepts (
    id           text PRIMARY KEY,
    name         text NOT NULL,
    name_es      text,
    phase        smallint,
    external     boolean NOT NULL DEFAULT false,
    content_hash text,
    locked       boolean NOT NULL DEFAULT false,
    archived_at  timestamptz,
    run_id       text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS concept_prerequisites (
    concept_id      text NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    prerequisite_id text NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    content_hash    text,
    locked          boolean NOT NULL DEFAULT false,
    archived_at     timestamptz,
    run_id          text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (concept_id, prerequisite_id),
    CHECK (concept_id <> prerequisite_id)
);

CREATE TABLE IF NOT EXISTS resource_sections (
    id            uuid PRIMARY KEY,
    resource_id   text NOT NULL REFERENCES resources (id) ON DELETE RESTRICT,
    position      integer NOT NULL CHECK (position >= 0),
    slug          text NOT NULL,
    title         text NOT NULL,
    title_es      text NOT NULL,
    content_es    text NOT NULL,
    content_en    text NOT NULL,
    summary_es    text,
    start_seconds numeric(10, 3),
    end_seconds   numeric(10, 3),
    page_start    integer,
    page_end      integer,
    concepts      text[] NOT NULL DEFAULT '{}',
    is_standin    boolean NOT NULL DEFAULT false,
    content_hash  text,
    locked        boolean NOT NULL DEFAULT false,
    archived_at   timestamptz,
    run_id        text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (resource_id, slug),
    CHECK (end_seconds IS NULL OR start_seconds IS NULL OR end_seconds > start_seconds),
    CHECK (page_end IS NULL OR page_start IS NULL OR page_end >= page_start)
);

CREATE TABLE IF NOT EXISTS question_bank (
    id                  uuid PRIMARY KEY,
    resource_id         text NOT NULL REFERENCES resources (id) ON DELETE RESTRICT,
    -- The FK the seed's hand-written migration tripped over: RESTRICT on purpose.
    resource_section_id uuid NOT NULL REFERENCES resource_sections (id) ON DELETE RESTRICT,
    kind                text NOT NULL CHECK (kind IN ('quiz', 'exercise', 'reading')),
    concept_id          text REFERENCES concepts (id) ON DELETE RESTRICT,
    position            integer NOT NULL CHECK (position >= 0),
    prompt              text NOT NULL,
    options             jsonb,
    correct_index       smallint,
    explanation         text,
    body                jsonb NOT NULL DEFAULT '{}'::jsonb,
    citation            jsonb,
    is_standin          boolean NOT NULL DEFAULT false,
    content_hash        text,
    locked              boolean NOT NULL DEFAULT false,
    archived_at         timestamptz,
    run_id              text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'quiz' OR (jsonb_typeof(options) = 'array' AND jsonb_array_length(options) = 4
                              AND correct_index BETWEEN 0 AND 3))
);
CREATE INDEX IF NOT EXISTS question_bank_section ON question_bank (resource_section_id);
CREATE INDEX IF NOT EXISTS question_bank_resource ON question_bank (resource_id, kind);

CREATE TABLE IF NOT EXISTS resource_concepts (
    id                  uuid PRIMARY KEY,
    resource_id         text NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    concept_id          text NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    relation            text NOT NULL CHECK (relation IN ('teaches', 'requires')),
    -- where the row came from: the catalog's declaration, or a section that teaches it
    provenance          text NOT NULL CHECK (provenance IN ('catalog', 'section')),
    resource_section_id uuid REFERENCES resource_sections (id) ON DELETE CASCADE,
    content_hash        text,
    locked              boolean NOT NULL DEFAULT false,
    archived_at         timestamptz,
    run_id              text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((provenance = 'section') = (resource_section_id IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS resource_concepts_resource ON resource_concepts (resource_id, relation);
