-- A dataset's columnar cache also lives in the artifact store, under a key made of its content hash
-- (datasets/<sha256>/cache.zip): a worker without the server's data directory fetches it once, checks
-- the hash and keeps it in its own local cache. NULL for datasets registered before this, until the
-- server publishes them at its next start.
ALTER TABLE dataset ADD COLUMN cache_sha256 VARCHAR(64);
CREATE INDEX dataset_cache_sha256_idx ON dataset (cache_sha256);
