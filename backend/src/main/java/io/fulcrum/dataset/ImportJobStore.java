package io.fulcrum.dataset;

import io.fulcrum.system.FieldViolation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Background import jobs in PostgreSQL ({@code import_job}). A server claims the oldest queued job with
 * one {@code FOR UPDATE SKIP LOCKED} statement, so two servers sharing the database never both take it.
 * Every later write names the claim (owner and attempt) and changes nothing once the job was re-queued
 * and claimed again, so a server that lost its claim cannot overwrite the new attempt.
 */
@Component
class ImportJobStore {

    /** One claim of one job, with what is needed to run it. */
    record Claim(String id, String datasetName, String request, int attempt, String actor, String owner) {}

    /** A job that went back to the queue or failed because its server stopped reporting. */
    record Expired(String id, String state, int attempt) {}

    private static final String CLAIMED = " WHERE id = ? AND owner = ? AND attempt = ? AND state = 'RUNNING'";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    ImportJobStore(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(String id, String datasetName, DatasetRequest request, long totalBytes, String actor) {
        jdbc.update(
                "INSERT INTO import_job (id, dataset_name, request, state, total_bytes, actor, created_at)"
                        + " VALUES (?, ?, CAST(? AS jsonb), 'QUEUED', ?, ?, now())",
                id,
                datasetName,
                json.writeValueAsString(request),
                totalBytes,
                actor);
    }

    /** Takes the oldest queued job for {@code owner}, if there is one nobody else is taking. */
    Optional<Claim> claimNext(String owner) {
        return jdbc
                .query(
                        "UPDATE import_job j SET state = 'RUNNING', owner = ?, attempt = j.attempt + 1, bytes_read = 0,"
                                + " started_at = now(), heartbeat_at = now()"
                                + " WHERE j.state = 'QUEUED' AND j.id = (SELECT id FROM import_job WHERE state = 'QUEUED'"
                                + "   ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                                + " RETURNING j.id, j.dataset_name, j.request, j.attempt, j.actor",
                        (rs, i) -> new Claim(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getInt(4),
                                rs.getString(5),
                                owner),
                        owner)
                .stream()
                .findFirst();
    }

    /** Records the bytes read so far, which also shows the owner alive; false when the claim is gone. */
    boolean progress(Claim claim, long bytesRead) {
        return jdbc.update(
                        "UPDATE import_job SET bytes_read = ?, heartbeat_at = now()" + CLAIMED,
                        bytesRead,
                        claim.id(),
                        claim.owner(),
                        claim.attempt())
                > 0;
    }

    /** Shows every job {@code owner} runs alive, between progress reports (preprocessing, profiling). */
    int heartbeat(String owner) {
        return jdbc.update("UPDATE import_job SET heartbeat_at = now() WHERE owner = ? AND state = 'RUNNING'", owner);
    }

    /** Marks the claimed job done; called in the transaction that registers its dataset. */
    boolean succeeded(Claim claim, DatasetView dataset) {
        Map<String, Object> report = Map.of(
                "rows", dataset.rows(),
                "trainRows", dataset.trainRows(),
                "validationRows", dataset.validationRows(),
                "testRows", dataset.testRows(),
                "skippedLines", dataset.skippedLines());
        return jdbc.update(
                        "UPDATE import_job SET state = 'SUCCEEDED', dataset_id = ?, report = CAST(? AS jsonb),"
                                + " bytes_read = total_bytes, finished_at = now(), owner = NULL"
                                + CLAIMED,
                        dataset.id(),
                        json.writeValueAsString(report),
                        claim.id(),
                        claim.owner(),
                        claim.attempt())
                > 0;
    }

    boolean failed(Claim claim, List<FieldViolation> errors) {
        return jdbc.update(
                        "UPDATE import_job SET state = 'FAILED', errors = CAST(? AS jsonb), finished_at = now(),"
                                + " owner = NULL" + CLAIMED,
                        json.writeValueAsString(errors),
                        claim.id(),
                        claim.owner(),
                        claim.attempt())
                > 0;
    }

    /**
     * Running jobs whose owner has not reported for {@code lease} go back to the queue, to run again
     * from the start; one that has already had {@code maxAttempts} fails instead (an import that brings
     * its server down each time must not do so forever). Idempotent: servers racing on it do no harm.
     */
    List<Expired> expire(Duration lease, int maxAttempts) {
        String errors = json.writeValueAsString(List.of(new FieldViolation(
                "file",
                "importable",
                "the import was interrupted " + maxAttempts
                        + " times (its server stopped each time); it is not tried again")));
        return jdbc.query(
                "UPDATE import_job SET owner = NULL, bytes_read = 0,"
                        + " state = CASE WHEN attempt >= ? THEN 'FAILED' ELSE 'QUEUED' END,"
                        + " errors = CASE WHEN attempt >= ? THEN CAST(? AS jsonb) ELSE errors END,"
                        + " finished_at = CASE WHEN attempt >= ? THEN now() END"
                        + " WHERE state = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => ?)"
                        + " RETURNING id, state, attempt",
                (rs, i) -> new Expired(rs.getString(1), rs.getString(2), rs.getInt(3)),
                maxAttempts,
                maxAttempts,
                errors,
                maxAttempts,
                lease.toMillis() / 1000.0);
    }

    /**
     * At shutdown: the jobs {@code owner} still runs go back to the queue at once, without waiting for
     * their lease, and the interrupted attempt does not count.
     */
    int giveBack(String owner) {
        return jdbc.update(
                "UPDATE import_job SET state = 'QUEUED', owner = NULL, bytes_read = 0, attempt = attempt - 1"
                        + " WHERE owner = ? AND state = 'RUNNING'",
                owner);
    }

    boolean hasQueued() {
        return Boolean.TRUE.equals(
                jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM import_job WHERE state = 'QUEUED')", Boolean.class));
    }

    Optional<ImportJobView> find(String id) {
        return jdbc
                .query(
                        "SELECT id, dataset_name, state, bytes_read, total_bytes, dataset_id, errors, created_at,"
                                + " finished_at FROM import_job WHERE id = ?",
                        this::view,
                        id)
                .stream()
                .findFirst();
    }

    /** Keeps the newest {@code kept} finished jobs; queued and running ones always stay. */
    int prune(int kept) {
        return jdbc.update(
                "DELETE FROM import_job WHERE state IN ('SUCCEEDED', 'FAILED') AND id NOT IN"
                        + " (SELECT id FROM import_job WHERE state IN ('SUCCEEDED', 'FAILED')"
                        + "  ORDER BY created_at DESC, id DESC LIMIT ?)",
                kept);
    }

    /** Queued and running jobs show as RUNNING: the API's states are unchanged since jobs lived in memory. */
    private ImportJobView view(ResultSet rs, int row) throws SQLException {
        String state = rs.getString("state");
        long bytesRead = rs.getLong("bytes_read");
        long totalBytes = rs.getLong("total_bytes");
        boolean succeeded = state.equals("SUCCEEDED");
        double progress = succeeded ? 1.0 : totalBytes == 0 ? 0.0 : Math.min(1.0, (double) bytesRead / totalBytes);
        return new ImportJobView(
                rs.getString("id"),
                rs.getString("dataset_name"),
                state.equals("QUEUED") ? "RUNNING" : state,
                bytesRead,
                totalBytes,
                progress,
                rs.getObject("dataset_id", Long.class),
                json.readValue(rs.getString("errors"), new TypeReference<List<FieldViolation>>() {}),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("finished_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
