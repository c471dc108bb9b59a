package io.fulcrum.worker;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.hibernate.TransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Retries database calls through an outage with exponential back-off (0.5 s doubling to 30 s), so
 * that a restarted PostgreSQL costs a worker a pause, not its runs. Only connection-class failures
 * are retried; a broken statement fails at once.
 */
final class Backoff {

    private static final Logger log = LoggerFactory.getLogger(Backoff.class);
    private static final long FIRST_MS = 500;
    private static final long MAX_MS = 30_000;

    private Backoff() {}

    static <T> T retry(String what, Supplier<T> call, BooleanSupplier giveUp) {
        long delay = FIRST_MS;
        while (true) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!isOutage(e) || giveUp.getAsBoolean()) {
                    throw e;
                }
                log.warn("{}: database unavailable ({}); retrying in {} ms", what, rootMessage(e), delay);
                sleep(delay);
                delay = Math.min(delay * 2, MAX_MS);
            }
        }
    }

    static void retry(String what, Runnable call, BooleanSupplier giveUp) {
        retry(
                what,
                () -> {
                    call.run();
                    return null;
                },
                giveUp);
    }

    /**
     * Connection refused, reset or terminated by an administrator: PostgreSQL is away, not the query
     * wrong. A transaction whose rollback (or commit) fails without any SQL state of its own counts
     * too: when PostgreSQL goes away mid-transaction the pool hands the rollback a closed connection,
     * whose error carries no SQL state, and the statement's own connection error is only logged.
     */
    static boolean isOutage(Throwable e) {
        if (e instanceof DataAccessResourceFailureException
                || e instanceof TransientDataAccessException
                || e instanceof RecoverableDataAccessException
                || e instanceof CannotCreateTransactionException) {
            return true;
        }
        boolean transactionEndFailed = false;
        boolean stated = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P")) {
                    return true;
                }
                stated = true;
            }
            transactionEndFailed |= t instanceof TransactionSystemException || t instanceof TransactionException;
        }
        if (transactionEndFailed && !stated) {
            return true;
        }
        return e instanceof DataAccessException && e.getCause() instanceof java.net.ConnectException;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
