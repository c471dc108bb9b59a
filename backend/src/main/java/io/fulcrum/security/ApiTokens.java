package io.fulcrum.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * API tokens: issued with a secret shown once, stored as its SHA-256, checked on every request
 * through a short cache (the ranking endpoint sees hundreds of requests a second), and revocable.
 */
@Service
public class ApiTokens {

    static final int MAX_NAME = 100;
    private static final int SECRET_BYTES = 32;
    private static final int PREFIX_LENGTH = 10;
    /** The last-used time is kept to the minute, so a busy token writes at most once a minute. */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private static final String SELECT = "SELECT t.id, t.name, t.kind, u.username AS owner, u.role AS owner_role,"
            + " u.enabled AS owner_enabled, t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at,"
            + " t.revoked_by FROM api_token t JOIN app_user u ON u.id = t.owner_id";

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final SecurityProperties properties;
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final Cache<String, Optional<StoredToken>> checked;
    private final Cache<Long, OffsetDateTime> lastUsedWritten =
            Caffeine.newBuilder().maximumSize(100_000).build();

    ApiTokens(JdbcClient jdbc, AuditLog audit, SecurityProperties properties) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.properties = properties;
        this.checked = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(properties.tokenCacheTtl())
                .build();
    }

    /**
     * Issues a token owned by {@code owner}. Only an admin may issue WORKER and SERVING tokens.
     *
     * @param expiresAt when it stops working; null for the default lifetime
     */
    @Transactional
    public IssuedToken issue(String owner, String name, String kind, OffsetDateTime expiresAt, boolean admin) {
        List<FieldViolation> violations = new ArrayList<>();
        String tokenName = name == null ? "" : name.strip();
        if (tokenName.isEmpty()) {
            violations.add(new FieldViolation("name", "required", "must be given"));
        } else if (tokenName.length() > MAX_NAME) {
            violations.add(new FieldViolation("name", "max-length", "must be at most " + MAX_NAME + " characters"));
        } else if (tokenName.chars().anyMatch(Character::isISOControl)) {
            violations.add(new FieldViolation("name", "pattern", "must not contain control characters"));
        }
        TokenKind tokenKind = kind == null ? TokenKind.PERSONAL : TokenKind.parse(kind);
        if (tokenKind == null) {
            violations.add(new FieldViolation("kind", "one-of", "must be one of " + List.of(TokenKind.values())));
        } else if (tokenKind != TokenKind.PERSONAL && !admin) {
            violations.add(
                    new FieldViolation("kind", "admin-only", "only an ADMIN may create " + tokenKind + " tokens"));
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime expiry = expiresAt == null ? now.plus(properties.defaultTokenLifetime()) : expiresAt;
        if (!expiry.isAfter(now)) {
            violations.add(new FieldViolation("expiresAt", "future", "must be in the future"));
        } else if (expiry.isAfter(now.plus(properties.maxTokenLifetime()))) {
            violations.add(new FieldViolation(
                    "expiresAt",
                    "max",
                    "must be at most " + properties.maxTokenLifetime().toDays() + " days from now"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        long ownerId = jdbc.sql("SELECT id FROM app_user WHERE lower(username) = lower(?)")
                .param(owner)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("user", owner));
        String secret = newSecret(tokenKind);
        long id = jdbc.sql("INSERT INTO api_token (name, kind, owner_id, secret_sha256, prefix, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .params(
                        tokenName,
                        tokenKind.name(),
                        ownerId,
                        sha256(secret),
                        secret.substring(0, PREFIX_LENGTH),
                        now,
                        expiry)
                .query(Long.class)
                .single();
        ApiTokenView view = get(id);
        audit.record("token.create", "token/" + id, null, null, snapshot(view));
        return new IssuedToken(view, secret);
    }

    /** Revokes a token at once; its owner or an admin may. Revoking a revoked token changes nothing. */
    @Transactional
    public ApiTokenView revoke(long id, String actor, boolean admin) {
        ApiTokenView before = get(id);
        if (!admin && !before.owner().equalsIgnoreCase(actor)) {
            throw new NotFoundException("token", id);
        }
        if (before.revokedAt() != null) {
            return before;
        }
        jdbc.sql("UPDATE api_token SET revoked_at = ?, revoked_by = ? WHERE id = ?")
                .params(OffsetDateTime.now(clock), actor, id)
                .update();
        forgetCachedTokensAfterCommit();
        ApiTokenView after = get(id);
        audit.record("token.revoke", "token/" + id, null, snapshot(before), snapshot(after));
        return after;
    }

    /** One token; 404 when there is none or (for a non-admin) it is someone else's. */
    public ApiTokenView get(long id) {
        return jdbc.sql(SELECT + " WHERE t.id = ?")
                .param(id)
                .query(this::view)
                .optional()
                .orElseThrow(() -> new NotFoundException("token", id));
    }

    /** Tokens newest first: an owner's, or everyone's when {@code owner} is null. */
    public List<ApiTokenView> list(String owner) {
        if (owner == null) {
            return jdbc.sql(SELECT + " ORDER BY t.created_at DESC, t.id DESC")
                    .query(this::view)
                    .list();
        }
        return jdbc.sql(SELECT + " WHERE lower(u.username) = lower(?) ORDER BY t.created_at DESC, t.id DESC")
                .param(owner)
                .query(this::view)
                .list();
    }

    /**
     * Who a secret authenticates, if it names an active token of an enabled user. Answers from a
     * short cache: see {@link SecurityProperties#tokenCacheTtl()}.
     */
    public Optional<TokenPrincipal> authenticate(String secret) {
        if (secret == null || secret.isBlank() || secret.length() > 200) {
            return Optional.empty();
        }
        String hash = sha256(secret.strip());
        Optional<StoredToken> stored = checked.get(hash, this::load);
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (stored.isEmpty() || !stored.get().activeAt(now)) {
            return Optional.empty();
        }
        StoredToken token = stored.get();
        touch(token.id(), now);
        return Optional.of(token.principal());
    }

    private Optional<StoredToken> load(String hash) {
        return jdbc.sql("SELECT t.id, t.name, t.kind, u.username, u.role, u.enabled, t.expires_at, t.revoked_at"
                        + " FROM api_token t JOIN app_user u ON u.id = t.owner_id WHERE t.secret_sha256 = ?")
                .param(hash)
                .query((rs, row) -> new StoredToken(
                        rs.getLong("id"),
                        TokenKind.valueOf(rs.getString("kind")),
                        rs.getString("name"),
                        rs.getString("username"),
                        Role.valueOf(rs.getString("role")),
                        rs.getBoolean("enabled"),
                        rs.getObject("expires_at", OffsetDateTime.class),
                        rs.getObject("revoked_at", OffsetDateTime.class)))
                .optional();
    }

    private void touch(long id, OffsetDateTime now) {
        OffsetDateTime written = lastUsedWritten.getIfPresent(id);
        if (written != null && written.plus(LAST_USED_RESOLUTION).isAfter(now)) {
            return;
        }
        lastUsedWritten.put(id, now);
        jdbc.sql("UPDATE api_token SET last_used_at = ? WHERE id = ?")
                .params(now, id)
                .update();
    }

    /** Forgets cached answers, e.g. after a change to a user has committed. */
    public void forgetCachedTokens() {
        checked.invalidateAll();
    }

    /**
     * Forgets cached answers once the current transaction commits: forgotten earlier, a request in
     * between would cache the row as it was before the change for another {@link
     * SecurityProperties#tokenCacheTtl()}.
     */
    private void forgetCachedTokensAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                forgetCachedTokens();
            }
        });
    }

    private String newSecret(TokenKind kind) {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        char letter = Character.toLowerCase(kind.name().charAt(0));
        return "ful_" + letter + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static Map<String, Object> snapshot(ApiTokenView token) {
        return Map.of(
                "name", token.name(),
                "kind", token.kind().name(),
                "owner", token.owner(),
                "expiresAt", token.expiresAt().toString(),
                "status", token.status());
    }

    private ApiTokenView view(ResultSet rs, int row) throws SQLException {
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
        String status = revoked != null ? "REVOKED" : expires.isAfter(OffsetDateTime.now(clock)) ? "ACTIVE" : "EXPIRED";
        return new ApiTokenView(
                rs.getLong("id"),
                rs.getString("name"),
                TokenKind.valueOf(rs.getString("kind")),
                rs.getString("owner"),
                rs.getString("prefix"),
                rs.getObject("created_at", OffsetDateTime.class),
                expires,
                rs.getObject("last_used_at", OffsetDateTime.class),
                revoked,
                rs.getString("revoked_by"),
                status);
    }

    private record StoredToken(
            long id,
            TokenKind kind,
            String name,
            String owner,
            Role ownerRole,
            boolean ownerEnabled,
            OffsetDateTime expiresAt,
            OffsetDateTime revokedAt) {

        boolean activeAt(OffsetDateTime now) {
            return revokedAt == null && ownerEnabled && expiresAt.isAfter(now);
        }

        TokenPrincipal principal() {
            String actor = switch (kind) {
                case PERSONAL -> owner;
                case WORKER -> "worker-token:" + name;
                case SERVING -> "serving-token:" + name;
            };
            return new TokenPrincipal(id, kind, actor, owner, ownerRole);
        }
    }
}
