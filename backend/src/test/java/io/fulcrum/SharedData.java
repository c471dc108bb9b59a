package io.fulcrum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The public datasets beside the repository ({@code ../shared/data}), which tests read but Fulcrum never needs. */
public final class SharedData {

    private static final Path ROOT =
            Path.of("..", "..", "shared", "data").toAbsolutePath().normalize();

    private SharedData() {}

    public static Path file(String relative) {
        Path file = ROOT.resolve(relative);
        assertThat(file)
                .as("shared test data (../shared/data beside the repository)")
                .isRegularFile();
        return file;
    }

    public static boolean exists(String relative) {
        return Files.isRegularFile(ROOT.resolve(relative));
    }
}
