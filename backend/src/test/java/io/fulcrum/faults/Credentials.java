package io.fulcrum.faults;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * An admin and its API tokens, written straight into PostgreSQL before any Fulcrum process starts,
 * the way {@code ApiTokens.issue} stores them (only the secret's SHA-256): the processes under test
 * then authenticate them like any token, and a worker can present its token from its first moment.
 */
final class Credentials {

    static final String ADMIN = "faults-admin";

    /** The secrets, to send as bearer tokens. */
    final String admin;

    final String serving;
    final String worker;

    private Credentials(String admin, String serving, String worker) {
        this.admin = admin;
        this.serving = serving;
        this.worker = worker;
    }

    /** An ADMIN user with a PERSONAL, a SERVING and a WORKER token, each valid for a day. */
    static Credentials create(JdbcTemplate jdbc) {
        long owner = jdbc.queryForObject(
                "INSERT INTO app_user (username, password_hash, role, created_at, updated_at)"
                        + " VALUES (?, ?, 'ADMIN', now(), now()) RETURNING id",
                Long.class,
                ADMIN,
                PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(secret('x')));
        return new Credentials(
                token(jdbc, owner, "PERSONAL", "faults-admin"),
                token(jdbc, owner, "SERVING", "faults-serving"),
                token(jdbc, owner, "WORKER", "faults-worker"));
    }

    private static String token(JdbcTemplate jdbc, long owner, String kind, String name) {
        String secret = secret(Character.toLowerCase(kind.charAt(0)));
        OffsetDateTime now = OffsetDateTime.now();
        jdbc.update(
                "INSERT INTO api_token (name, kind, owner_id, secret_sha256, prefix, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                name,
                kind,
                owner,
                sha256(secret),
                secret.substring(0, 10),
                now,
                now.plusDays(1));
        return secret;
    }

    private static String secret(char kind) {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "ful_" + kind + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
