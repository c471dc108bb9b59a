package io.fulcrum.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@FulcrumSpringTest
class PostgresArtifactStoreTests extends ArtifactStoreContract {

    @Autowired
    ArtifactStore store;

    @Autowired
    JdbcTemplate jdbc;

    @Override
    ArtifactStore store() {
        return store;
    }

    @Override
    void assertNothingStoredUnder(String key) {
        assertThat(jdbc.queryForObject("SELECT count(*) FROM artifact WHERE key = ?", Integer.class, key))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM artifact_chunk WHERE key = ?", Integer.class, key))
                .isZero();
    }

    @Test
    void isTheDefaultStore() {
        assertThat(store).isInstanceOf(PostgresArtifactStore.class);
    }

    @Test
    void splitsTheBytesIntoChunksOfOneMebibyte() {
        String key = uniqueKey("chunked");

        store.put(key, new ByteArrayInputStream(randomBytes(3 * MIB + 1, 8)));

        assertThat(jdbc.queryForList(
                        "SELECT length(data) FROM artifact_chunk WHERE key = ? ORDER BY seq", Integer.class, key))
                .containsExactly(MIB, MIB, MIB, 1);
    }

    @Test
    void closingAStreamGivesItsConnectionBack() throws Exception {
        String key = uniqueKey("pooled");
        store.put(key, new ByteArrayInputStream(randomBytes(2 * MIB, 9)));

        // far more streams than the pool has connections: each must give its connection back
        for (int i = 0; i < 50; i++) {
            try (InputStream in = store.open(key)) {
                assertThat(in.read()).isNotNegative();
            }
        }

        assertThat(jdbc.queryForObject("SELECT count(*) FROM artifact WHERE key = ?", Integer.class, key))
                .isOne();
    }
}
