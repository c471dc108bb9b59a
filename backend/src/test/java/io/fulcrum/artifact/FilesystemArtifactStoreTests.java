package io.fulcrum.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.system.ConflictException;
import io.fulcrum.system.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemArtifactStoreTests extends ArtifactStoreContract {

    @TempDir
    Path rootParent;

    FilesystemArtifactStore store;

    @BeforeEach
    void createStore() {
        store = new FilesystemArtifactStore(rootParent.resolve("artifacts"));
    }

    @Override
    ArtifactStore store() {
        return store;
    }

    @Override
    void assertNothingStoredUnder(String key) {
        Path dir = store.root().resolve(key).getParent();
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            assertThat(files).as("files beside %s", key).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void keepsEachArtifactAtItsKeyWithAHeader() {
        ArtifactRef stored = store.put("runs/7/model.params", new ByteArrayInputStream(new byte[] {1, 2, 3}));

        Path file = store.root().resolve("runs/7/model.params");
        assertThat(file).isRegularFile();
        assertThat(file).hasSize(FilesystemArtifactStore.HEADER_LENGTH + 3L);
        assertThat(store.find("runs/7/model.params")).contains(stored);
    }

    @Test
    void deletingAPrefixRemovesItsEmptyFolders() {
        store.put("runs/8/a/b", new ByteArrayInputStream(new byte[1]));
        store.put("runs/9/a", new ByteArrayInputStream(new byte[1]));

        store.deletePrefix("runs/8/");

        assertThat(store.root().resolve("runs/8")).doesNotExist();
        assertThat(store.root().resolve("runs/9/a")).isRegularFile();
    }

    @Nested
    class StayingInsideTheRoot {

        @TempDir
        Path outside;

        @Test
        void refusesToFollowASymbolicLinkOutOfTheRoot() throws IOException {
            Files.createDirectories(store.root());
            Files.createSymbolicLink(store.root().resolve("escape"), outside);
            Files.writeString(outside.resolve("secret"), "x");

            assertThatThrownBy(() -> store.put("escape/new", new ByteArrayInputStream(new byte[1])))
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> store.open("escape/secret")).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> store.deletePrefix("escape/")).isInstanceOf(InvalidInputException.class);
            assertThat(outside.resolve("new")).doesNotExist();
            assertThat(outside.resolve("secret")).exists();
        }

        @Test
        void aKeyCannotBeBothAnArtifactAndAFolderOfArtifacts() {
            store.put("runs/1/model", new ByteArrayInputStream(new byte[1]));

            assertThatThrownBy(() -> store.put("runs/1", new ByteArrayInputStream(new byte[1])))
                    .isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> store.put("runs/1/model/inner", new ByteArrayInputStream(new byte[1])))
                    .isInstanceOf(ConflictException.class);
            assertThat(store.find("runs/1/model")).isPresent();
        }
    }
}
