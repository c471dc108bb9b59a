-- Remembers which one-time seeds (e.g. the paper's demo task groups) this database has received,
-- so that deleting seeded rows does not bring them back on the next start.
CREATE TABLE applied_seed (
    name       VARCHAR(100) PRIMARY KEY,
    applied_at TIMESTAMP WITH TIME ZONE NOT NULL
);
