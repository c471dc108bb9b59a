-- Artifacts (checkpoints, model files) kept in PostgreSQL, so that every node reads them without a
-- shared disk. The bytes are split into chunks of about 1 MiB; an artifact and its chunks are
-- written in one transaction, so a failed write leaves nothing behind.
-- Keys are ASCII ([A-Za-z0-9._/-]); the "C" collation lets a prefix LIKE use the primary key.
CREATE TABLE artifact (
    key        VARCHAR(500) COLLATE "C" PRIMARY KEY,
    size       BIGINT   NOT NULL CHECK (size >= 0),
    sha256     CHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE artifact_chunk (
    -- deferred: the chunks are written first, the artifact row last, once size and digest are known
    key  VARCHAR(500) COLLATE "C" NOT NULL
         REFERENCES artifact (key) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    seq  INTEGER NOT NULL CHECK (seq >= 0),
    data BYTEA   NOT NULL,
    PRIMARY KEY (key, seq)
);

-- Weights and checkpoints barely compress: store chunks out of line without trying.
ALTER TABLE artifact_chunk ALTER COLUMN data SET STORAGE EXTERNAL;
