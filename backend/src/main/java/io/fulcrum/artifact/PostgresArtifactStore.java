package io.fulcrum.artifact;

import io.fulcrum.system.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Artifacts in PostgreSQL: a row in {@code artifact} and the bytes in {@code artifact_chunk}, about
 * 1 MiB a row. A put is one transaction of its own (so it is committed, for every node, when it
 * returns); writers of one key take turns through an advisory lock. A read is one REPEATABLE READ
 * transaction on its own connection with a server-side cursor over the chunks: it fetches one chunk
 * at a time and sees one snapshot, so a concurrent replace never mixes two contents.
 */
class PostgresArtifactStore implements ArtifactStore {

    static final int CHUNK_SIZE = 1 << 20;
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    PostgresArtifactStore(DataSource dataSource, PlatformTransactionManager transactions) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public ArtifactRef put(String key, InputStream content) {
        ArtifactKeys.check(key);
        return ownTransaction.execute(status -> {
            jdbc.query(LOCK, rs -> null, key);
            jdbc.update("DELETE FROM artifact WHERE key = ?", key);
            MessageDigest sha256 = Digests.sha256();
            byte[] buffer = new byte[CHUNK_SIZE];
            long size = 0;
            for (int seq = 0; ; seq++) {
                int read = readChunk(content, buffer);
                if (read == 0) {
                    break;
                }
                sha256.update(buffer, 0, read);
                byte[] data = read == buffer.length ? buffer : Arrays.copyOf(buffer, read);
                jdbc.update("INSERT INTO artifact_chunk (key, seq, data) VALUES (?, ?, ?)", key, seq, data);
                size += read;
                if (read < buffer.length) {
                    break;
                }
            }
            ArtifactRef ref = new ArtifactRef(
                    key,
                    size,
                    HexFormat.of().formatHex(sha256.digest()),
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
            jdbc.update(
                    "INSERT INTO artifact (key, size, sha256, created_at) VALUES (?, ?, ?, ?)",
                    key,
                    ref.size(),
                    ref.sha256(),
                    OffsetDateTime.ofInstant(ref.createdAt(), java.time.ZoneOffset.UTC));
            return ref;
        });
    }

    @Override
    public InputStream open(String key) {
        ArtifactKeys.check(key);
        Connection connection = null;
        PreparedStatement statement = null;
        ResultSet chunks = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            long size;
            try (PreparedStatement meta = connection.prepareStatement("SELECT size FROM artifact WHERE key = ?")) {
                meta.setString(1, key);
                try (ResultSet row = meta.executeQuery()) {
                    if (!row.next()) {
                        throw new NotFoundException("Artifact", key);
                    }
                    size = row.getLong(1);
                }
            }
            statement = connection.prepareStatement("SELECT data FROM artifact_chunk WHERE key = ? ORDER BY seq");
            statement.setFetchSize(1);
            statement.setString(1, key);
            chunks = statement.executeQuery();
            return new ChunkStream(key, size, connection, statement, chunks);
        } catch (SQLException e) {
            release(connection, statement, chunks);
            throw new UncheckedIOException(new IOException("Reading artifact " + key + " failed", e));
        } catch (RuntimeException e) {
            release(connection, statement, chunks);
            throw e;
        }
    }

    @Override
    public Optional<ArtifactRef> find(String key) {
        ArtifactKeys.check(key);
        return jdbc
                .query(
                        "SELECT size, sha256, created_at FROM artifact WHERE key = ?",
                        (rs, row) -> new ArtifactRef(
                                key,
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getObject(3, OffsetDateTime.class).toInstant()),
                        key)
                .stream()
                .findFirst();
    }

    @Override
    public void delete(String key) {
        ArtifactKeys.check(key);
        ownTransaction.executeWithoutResult(status -> {
            jdbc.query(LOCK, rs -> null, key);
            jdbc.update("DELETE FROM artifact WHERE key = ?", key);
        });
    }

    @Override
    public void deletePrefix(String prefix) {
        ArtifactKeys.checkPrefix(prefix);
        // '_' is a LIKE wildcard and a key character; '%' and '\' cannot occur in a key
        jdbc.update("DELETE FROM artifact WHERE key LIKE ? ESCAPE '\\'", prefix.replace("_", "\\_") + "%");
    }

    /** Fills the buffer unless the content ends first; returns how many bytes were read. */
    private static int readChunk(InputStream content, byte[] buffer) {
        try {
            return content.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void release(Connection connection, PreparedStatement statement, ResultSet chunks) {
        JdbcUtils.closeResultSet(chunks);
        JdbcUtils.closeStatement(statement);
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // closing below ends the transaction anyway
            }
            JdbcUtils.closeConnection(connection);
        }
    }

    /** The chunks of one artifact, fetched from the cursor one at a time as the reader goes. */
    private static final class ChunkStream extends InputStream {

        private final String key;
        private final long size;
        private final Connection connection;
        private final PreparedStatement statement;
        private final ResultSet chunks;
        private byte[] chunk = new byte[0];
        private int position;
        private long delivered;
        private boolean closed;

        ChunkStream(String key, long size, Connection connection, PreparedStatement statement, ResultSet chunks) {
            this.key = key;
            this.size = size;
            this.connection = connection;
            this.statement = statement;
            this.chunks = chunks;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            delivered++;
            return chunk[position++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - position);
            System.arraycopy(chunk, position, b, off, n);
            position += n;
            delivered += n;
            return n;
        }

        @Override
        public int available() {
            return chunk.length - position;
        }

        /** Makes sure unread bytes are at hand; false at the end of the artifact. */
        private boolean fill() throws IOException {
            if (closed) {
                throw new IOException("Artifact stream of " + key + " is closed");
            }
            try {
                while (position == chunk.length) {
                    if (!chunks.next()) {
                        if (delivered != size) {
                            throw new IOException(
                                    "Artifact " + key + " has " + delivered + " bytes stored, not " + size);
                        }
                        return false;
                    }
                    chunk = chunks.getBytes(1);
                    position = 0;
                }
                return true;
            } catch (SQLException e) {
                throw new IOException("Reading artifact " + key + " failed", e);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                chunk = new byte[0];
                position = 0;
                release(connection, statement, chunks);
            }
        }
    }
}
