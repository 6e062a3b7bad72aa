-- Background jobs run once across instances (issue 18): the leader counts its runs of each job here, so that
-- an operator (and the multi-instance test) sees which instance ran what, and when it last did. One row per
-- job and instance; an instance's name is its host and process unless -instance names it.
CREATE TABLE job_runs (
    job      TEXT NOT NULL,
    instance TEXT NOT NULL,
    runs     BIGINT NOT NULL DEFAULT 0,
    first_at TIMESTAMPTZ NOT NULL,
    last_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job, instance)
);
