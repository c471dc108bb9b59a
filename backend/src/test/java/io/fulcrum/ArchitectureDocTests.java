package io.fulcrum;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's module picture is true to the code: every module the main code of a module
 * imports is an edge of the picture (a newcomer reads the picture, not the imports).
 */
class ArchitectureDocTests {

    private static final Path SOURCES = Path.of("src/main/java/io/fulcrum");
    private static final Path DOC = Path.of("../docs/architecture.md");
    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?io\\.fulcrum\\.([a-z]+)\\.", Pattern.MULTILINE);
    private static final Pattern EDGE = Pattern.compile(
            "^\\s*([a-z][a-z &]*?)\\s*(?:-->|-\\.->)\\s*(?:\\|[^|]*\\|\\s*)?([a-z]+)", Pattern.MULTILINE);

    @Test
    void everyModuleDependencyIsAnEdgeOfThePicture() throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("```mermaid");
        String picture = doc.substring(start, doc.indexOf("```", start + 10));
        Set<String> edges = new TreeSet<>();
        Matcher m = EDGE.matcher(picture);
        while (m.find()) {
            for (String from : m.group(1).split("&")) {
                edges.add(from.strip() + " -> " + m.group(2));
            }
        }

        List<String> missing = new ArrayList<>();
        try (Stream<Path> modules = Files.list(SOURCES)) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                String name = module.getFileName().toString();
                for (String dependency : dependencies(module)) {
                    if (!dependency.equals(name) && !edges.contains(name + " -> " + dependency)) {
                        missing.add(name + " -> " + dependency);
                    }
                }
            }
        }
        assertThat(missing)
                .as("module dependencies missing from docs/architecture.md's picture")
                .isEmpty();
    }

    private static Set<String> dependencies(Path module) throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(module)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    found.add(m.group(1));
                }
            }
        }
        return found;
    }
}
