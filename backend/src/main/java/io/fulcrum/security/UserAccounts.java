package io.fulcrum.security;

import io.fulcrum.security.internal.SignedInSessions;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Dashboard users: created by an ADMIN (or the first start), each with one role, a hashed password
 * and an enabled flag. Every change is written to the audit log in the same transaction.
 */
@Service
public class UserAccounts {

    public static final int MIN_PASSWORD_LENGTH = 12;
    static final int MAX_PASSWORD_LENGTH = 200;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String COLUMNS =
            "id, username, role, enabled, password_change_required, created_at, updated_at";

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final SignedInSessions sessions;
    private final Clock clock = Clock.systemUTC();

    UserAccounts(JdbcClient jdbc, PasswordEncoder passwords, AuditLog audit, SignedInSessions sessions) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.audit = audit;
        this.sessions = sessions;
    }

    /** Creates a user; 400 naming username, password or role, 409 when the name is taken. */
    @Transactional
    public UserAccount create(String username, String password, String role, boolean passwordChangeRequired) {
        List<FieldViolation> violations = new ArrayList<>();
        String name = username(username, violations);
        checkPassword("password", password, violations);
        Role parsed = role(role, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        if (find(name).isPresent()) {
            throw new ConflictException(
                    "a user named '" + name + "' exists",
                    List.of(new FieldViolation("username", "unique", "is taken")));
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        long id = jdbc.sql("INSERT INTO app_user (username, password_hash, role, enabled, password_change_required,"
                        + " created_at, updated_at) VALUES (?, ?, ?, TRUE, ?, ?, ?) RETURNING id")
                .params(name, passwords.encode(password), parsed.name(), passwordChangeRequired, now, now)
                .query(Long.class)
                .single();
        UserAccount created = get(id);
        audit.record("user.create", "user/" + name, null, null, snapshot(created));
        return created;
    }

    /**
     * Changes a user's role and whether they may sign in; an admin cannot demote or disable themselves.
     * A change ends the user's sessions and their tokens are checked afresh, once it has committed.
     */
    @Transactional
    public UserAccount update(long id, String role, Boolean enabled, String actor) {
        UserAccount before = get(id);
        List<FieldViolation> violations = new ArrayList<>();
        Role parsed = role == null ? before.role() : role(role, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        boolean enable = enabled == null ? before.enabled() : enabled;
        if (before.username().equalsIgnoreCase(actor) && (parsed != Role.ADMIN || !enable)) {
            throw new ConflictException(
                    "an admin cannot demote or disable themselves; ask another admin",
                    List.of(new FieldViolation("role", "self", "cannot be changed for your own account")));
        }
        jdbc.sql("UPDATE app_user SET role = ?, enabled = ?, updated_at = ? WHERE id = ?")
                .params(parsed.name(), enable, OffsetDateTime.now(clock), id)
                .update();
        UserAccount after = get(id);
        audit.record("user.update", "user/" + after.username(), null, snapshot(before), snapshot(after));
        if (before.role() != after.role() || before.enabled() != after.enabled()) {
            endSessionsAfterCommit(after.username());
        }
        return after;
    }

    /** Sets a new password after checking the current one; clears the one-time flag. */
    @Transactional
    public void changePassword(String username, String currentPassword, String newPassword) {
        List<FieldViolation> violations = new ArrayList<>();
        String hash = passwordHash(username).orElseThrow(() -> new NotFoundException("user", username));
        if (currentPassword == null || !passwords.matches(currentPassword, hash)) {
            violations.add(new FieldViolation("currentPassword", "match", "is not your current password"));
        }
        checkPassword("newPassword", newPassword, violations);
        if (newPassword != null && newPassword.equals(currentPassword)) {
            violations.add(new FieldViolation("newPassword", "different", "must differ from the current password"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        jdbc.sql("UPDATE app_user SET password_hash = ?, password_change_required = FALSE, updated_at = ?"
                        + " WHERE lower(username) = lower(?)")
                .params(passwords.encode(newPassword), OffsetDateTime.now(clock), username)
                .update();
        audit.record("user.change-password", "user/" + username, null, null, null);
    }

    /** Gives a user a new password that they must change at their next sign-in; their sessions end. */
    @Transactional
    public UserAccount resetPassword(long id, String newPassword) {
        UserAccount user = get(id);
        List<FieldViolation> violations = new ArrayList<>();
        checkPassword("password", newPassword, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        jdbc.sql("UPDATE app_user SET password_hash = ?, password_change_required = TRUE, updated_at = ? WHERE id = ?")
                .params(passwords.encode(newPassword), OffsetDateTime.now(clock), id)
                .update();
        audit.record("user.reset-password", "user/" + user.username(), null, null, null);
        endSessionsAfterCommit(user.username());
        return get(id);
    }

    public UserAccount get(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_user WHERE id = ?")
                .param(id)
                .query(UserAccounts::map)
                .optional()
                .orElseThrow(() -> new NotFoundException("user", id));
    }

    public Optional<UserAccount> find(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_user WHERE lower(username) = lower(?)")
                .param(username.strip())
                .query(UserAccounts::map)
                .optional();
    }

    public List<UserAccount> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_user ORDER BY lower(username)")
                .query(UserAccounts::map)
                .list();
    }

    public long count() {
        return jdbc.sql("SELECT count(*) FROM app_user").query(Long.class).single();
    }

    Optional<String> passwordHash(String username) {
        return jdbc.sql("SELECT password_hash FROM app_user WHERE lower(username) = lower(?)")
                .param(username)
                .query(String.class)
                .optional();
    }

    /**
     * After the commit, not before: a request checking a token in between would otherwise cache the
     * old role or enabled flag again for the cache's lifetime.
     */
    private void endSessionsAfterCommit(String username) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                sessions.endAllOf(username);
            }
        });
    }

    static Map<String, Object> snapshot(UserAccount user) {
        return Map.of("username", user.username(), "role", user.role().name(), "enabled", user.enabled());
    }

    private static String username(String username, List<FieldViolation> violations) {
        String name = username == null ? "" : username.strip();
        if (name.isEmpty()) {
            violations.add(new FieldViolation("username", "required", "must be given"));
        } else if (!USERNAME.matcher(name).matches()) {
            violations.add(new FieldViolation(
                    "username",
                    "pattern",
                    "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        return name;
    }

    private static Role role(String role, List<FieldViolation> violations) {
        Role parsed = Role.parse(role);
        if (parsed == null) {
            violations.add(new FieldViolation("role", "one-of", "must be one of " + List.of(Role.values())));
        }
        return parsed;
    }

    static void checkPassword(String field, String password, List<FieldViolation> violations) {
        if (password == null || password.isEmpty()) {
            violations.add(new FieldViolation(field, "required", "must be given"));
        } else if (password.length() < MIN_PASSWORD_LENGTH) {
            violations.add(
                    new FieldViolation(field, "min-length", "must be at least " + MIN_PASSWORD_LENGTH + " characters"));
        } else if (password.length() > MAX_PASSWORD_LENGTH) {
            violations.add(
                    new FieldViolation(field, "max-length", "must be at most " + MAX_PASSWORD_LENGTH + " characters"));
        }
    }

    private static UserAccount map(ResultSet rs, int row) throws SQLException {
        return new UserAccount(
                rs.getLong("id"),
                rs.getString("username"),
                Role.valueOf(rs.getString("role")),
                rs.getBoolean("enabled"),
                rs.getBoolean("password_change_required"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }
}
