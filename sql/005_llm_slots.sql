-- 005: the global bound on LLM requests in flight, shared by every process that writes here.
-- A request holds one row (a lease) while it is on the wire. Each process renews its leases;
-- a process that dies (SIGKILL, a lost pod) loses them when they expire, so its slots come back.
-- Short transactions only: this works through transaction poolers (Supabase's Supavisor).

CREATE SCHEMA IF NOT EXISTS kz2h;

CREATE TABLE IF NOT EXISTS kz2h.llm_slots (
    slot        integer PRIMARY KEY CHECK (slot >= 0),
    holder      text,                    -- host:pid:token of the process holding it; NULL = free
    claimed_at  timestamptz,
    expires_at  timestamptz,             -- the lease: free again after this, even if never released
    CHECK ((holder IS NULL) = (expires_at IS NULL))
);
