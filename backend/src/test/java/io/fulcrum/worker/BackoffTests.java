package io.fulcrum.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.hibernate.TransactionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures a worker waits out (PostgreSQL away) and which it reports at once (the statement wrong). */
class BackoffTests {

    @Test
    void aConnectionLostOrRefusedIsAnOutage() {
        assertThat(Backoff.isOutage(new CannotGetJdbcConnectionException("refused", new SQLException("x", "08001"))))
                .isTrue();
        assertThat(Backoff.isOutage(new RuntimeException(new SQLException("terminated", "57P01"))))
                .isTrue();
    }

    /** What a worker saw when PostgreSQL crashed while it stored a checkpoint (PostgresRestartIT). */
    @Test
    void aRollbackOnAClosedConnectionIsAnOutage() {
        SQLException closed = new SQLException("Connection is closed"); // HikariCP's, without a SQL state
        assertThat(Backoff.isOutage(new JpaSystemException(
                        new TransactionException("Unable to rollback against JDBC Connection", closed))))
                .isTrue();
        assertThat(Backoff.isOutage(new TransactionSystemException("Could not roll back JDBC transaction", closed)))
                .isTrue();
    }

    @Test
    void aBrokenStatementIsNot() {
        assertThat(Backoff.isOutage(new DataIntegrityViolationException("duplicate", new SQLException("x", "23505"))))
                .isFalse();
        assertThat(Backoff.isOutage(new TransactionSystemException(
                        "Could not commit JDBC transaction", new SQLException("deferred check", "23514"))))
                .isFalse();
        assertThat(Backoff.isOutage(new IllegalStateException("a bug"))).isFalse();
    }
}
