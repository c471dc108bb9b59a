-- Background dataset imports. Jobs outlive the server process that accepted them: a job is claimed
-- from QUEUED by one server (FOR UPDATE SKIP LOCKED), and a RUNNING job whose server stopped
-- reporting for longer than fulcrum.datasets.import-lease goes back to QUEUED and runs again from the start.
CREATE TABLE import_job (
    id            VARCHAR(36)   PRIMARY KEY,           -- a UUID, as the API shows it
    dataset_name  VARCHAR(100)  NOT NULL,
    request       JSONB         NOT NULL,              -- the DatasetRequest as posted and validated
    state         VARCHAR(20)   NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    bytes_read    BIGINT        NOT NULL DEFAULT 0,    -- the progress: bytes of the file read so far
    total_bytes   BIGINT        NOT NULL DEFAULT 0,
    dataset_id    BIGINT,                              -- set on success, and kept after that dataset is deleted
    errors        JSONB         NOT NULL DEFAULT '[]', -- why it failed: [{field, rule, message}]
    report        JSONB,                               -- on success: rows per split, skipped lines
    attempt       INTEGER       NOT NULL DEFAULT 0,    -- 1 for the first run, more after restarts
    owner         VARCHAR(200),                        -- the server process running it
    heartbeat_at  TIMESTAMP WITH TIME ZONE,            -- the owner's last sign of life (database clock)
    actor         VARCHAR(100)  NOT NULL,              -- who started it; the dataset is registered as theirs
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE,            -- of the latest attempt
    finished_at   TIMESTAMP WITH TIME ZONE
);

-- The claim walks the queue oldest first; the lease check reads the running jobs.
CREATE INDEX import_job_queue_idx ON import_job (created_at, id) WHERE state = 'QUEUED';
CREATE INDEX import_job_running_idx ON import_job (heartbeat_at) WHERE state = 'RUNNING';
CREATE INDEX import_job_created_idx ON import_job (created_at DESC, id DESC);
