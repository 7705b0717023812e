-- 004: produced content per resource (schema kz2h): the concept-mapped sections and the
-- questions, as validated JSON documents. The load step copies them into the platform tables.

CREATE SCHEMA IF NOT EXISTS kz2h;

CREATE TABLE IF NOT EXISTS kz2h.content (
    resource_id  text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('sections', 'questions')),
    document     jsonb NOT NULL,       -- ResourceSections or ResourceQuestions (pydantic models)
    sha256       text NOT NULL,
    is_standin   boolean NOT NULL DEFAULT false,
    run_id       text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (resource_id, kind)
);
