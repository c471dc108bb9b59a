package io.fulcrum.system;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Seeds a named set of demo data once per database: the set claims its row in {@code applied_seed}
 * first, so a second start (or a concurrent one) seeds nothing, and an item a user already created
 * under the same name is left alone. Call it inside a transaction, so a failed seed leaves no claim.
 */
@Component
public class AppliedSeeds {

    private final JdbcTemplate jdbc;

    AppliedSeeds(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the items that do not exist yet, unless the set was applied before; returns how many. */
    public <T> int seedOnce(String set, List<T> items, Predicate<T> exists, Consumer<T> create) {
        int claimed = jdbc.update(
                "INSERT INTO applied_seed (name, applied_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                set,
                Timestamp.from(Instant.now()));
        if (claimed == 0) {
            return 0;
        }
        int created = 0;
        for (T item : items) {
            if (!exists.test(item)) {
                create.accept(item);
                created++;
            }
        }
        return created;
    }
}
