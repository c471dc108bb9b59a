package io.fulcrum.hostile;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies a hostile or broken client sends: random bytes, JSON cut short, bytes flipped,
 * documents of the wrong shape, nesting thousands deep, and a valid-looking template whose values are
 * replaced by nulls, wrong types, huge numbers, odd unicode (NUL, lone surrogates, bidi overrides) or
 * very long strings. Template paths named as protected (a poison value that makes the request invalid
 * whatever else it holds, and its ancestors) are never touched, so every body must be refused.
 */
final class HostileJson {

    /** Escapes every non-ASCII character, so that lone surrogates travel as valid JSON text. */
    private static final JsonMapper WRITER =
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private HostileJson() {}

    /** Any of the hostile kinds, most often a mutated template. */
    static Arbitrary<byte[]> bodies(String template, Set<String> protectedPaths) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, randomBytes()),
                Tuple.of(1, truncated(template)),
                Tuple.of(1, flippedBytes(template)),
                Tuple.of(1, wrongDocuments()),
                Tuple.of(1, deepNesting()),
                Tuple.of(8, mutated(template, protectedPaths)));
    }

    static Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    /** Every proper prefix of a JSON object is unfinished, hence malformed. */
    static Arbitrary<byte[]> truncated(String template) {
        byte[] bytes = template.getBytes(StandardCharsets.UTF_8);
        return Arbitraries.integers().between(0, bytes.length - 1).map(n -> java.util.Arrays.copyOf(bytes, n));
    }

    /** The template with a few bytes replaced: broken syntax, or invalid UTF-8 inside a string. */
    static Arbitrary<byte[]> flippedBytes(String template) {
        byte[] bytes = template.getBytes(StandardCharsets.UTF_8);
        Arbitrary<Tuple.Tuple2<Integer, Byte>> flip = Combinators.combine(
                        Arbitraries.integers().between(0, bytes.length - 1),
                        Arbitraries.of(
                                (byte) 0x00,
                                (byte) 0x80,
                                (byte) 0xC3,
                                (byte) 0xFF,
                                (byte) '"',
                                (byte) '{',
                                (byte) ']',
                                (byte) ',',
                                (byte) '\\',
                                (byte) 0xED))
                .as(Tuple::of);
        return flip.list().ofMinSize(1).ofMaxSize(4).map(flips -> {
            byte[] copy = bytes.clone();
            flips.forEach(f -> copy[f.get1()] = f.get2());
            return copy;
        });
    }

    static Arbitrary<byte[]> wrongDocuments() {
        return Arbitraries.of(
                        "",
                        " ",
                        "null",
                        "true",
                        "0",
                        "-1e999",
                        "\"text\"",
                        "[]",
                        "[{}]",
                        "{}}",
                        "{\"a\": 1,}",
                        "{'name': 'single quotes'}",
                        "{\"name\": NaN}",
                        "{\"name\": Infinity}",
                        "{\"name\": \"x\" /* comment */}",
                        "{\"name\": \"unterminated}",
                        "{\"name\": \"\\ud800\"",
                        "{\"name\" \"no colon\"}",
                        "{\"\u0000\": 1}",
                        "\uFEFF{\"name\": \"byte order mark\"}",
                        "{\"name\": 1}{\"name\": 2}")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    /** Arrays or objects nested up to 5,000 deep, closed or not. */
    static Arbitrary<byte[]> deepNesting() {
        return Combinators.combine(
                        Arbitraries.integers().between(50, 5000),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false))
                .as((depth, arrays, closed) -> {
                    String open = arrays ? "[" : "{\"a\":";
                    String close = arrays ? "]" : "}";
                    String inner = arrays ? "1" : "{}";
                    return (open.repeat(depth) + inner + (closed ? close.repeat(depth) : ""))
                            .getBytes(StandardCharsets.UTF_8);
                });
    }

    /** The template with one to three values replaced, removed, or unknown properties added. */
    static Arbitrary<byte[]> mutated(String template, Set<String> protectedPaths) {
        Object tree = WRITER.readValue(template, Object.class);
        Arbitrary<Mutation> mutation = Combinators.combine(
                        Arbitraries.integers().between(0, 10_000), Arbitraries.of(Edit.values()), values())
                .as(Mutation::new);
        return mutation.list().ofMinSize(1).ofMaxSize(3).map(edits -> {
            Object copy = WRITER.readValue(WRITER.writeValueAsString(tree), Object.class);
            for (Mutation edit : edits) {
                edit.applyTo(copy, protectedPaths);
            }
            return write(copy);
        });
    }

    /** What a hostile value may be. */
    static Arbitrary<Object> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(null)),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
                Tuple.of(2, Arbitraries.longs().map(n -> (Object) n)),
                Tuple.of(2, hugeNumbers()),
                Tuple.of(1, Arbitraries.doubles().map(d -> (Object) d)),
                Tuple.of(3, strings()),
                Tuple.of(1, Arbitraries.of(List.of(), Map.of()).map(c -> (Object) c)),
                Tuple.of(1, strings().list().ofMaxSize(5).map(l -> (Object) new ArrayList<>(l))),
                Tuple.of(1, nested()));
    }

    static Arbitrary<Object> hugeNumbers() {
        Arbitrary<Object> literal = Arbitraries.of(
                new BigDecimal("1e400"),
                new BigDecimal("-1e400"),
                new BigDecimal("1e-400"),
                new BigDecimal("1.7976931348623157e309"),
                new BigDecimal("4.9e-325"),
                new BigDecimal("9223372036854775808"),
                new BigDecimal("-2147483649"),
                new BigDecimal("2147483648"),
                new BigDecimal("0.1e-2147483000"));
        Arbitrary<Object> digits = Arbitraries.strings()
                .numeric()
                .ofMinLength(19)
                .ofMaxLength(1500)
                .map(s -> (Object) new BigInteger("9" + s));
        return Arbitraries.oneOf(literal, digits);
    }

    static Arbitrary<Object> strings() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> odd = Arbitraries.strings()
                .withChars(
                        '\u0000', '\u0001', '\n', '\r', '\t', '"', '\\', '/', '.', '%', '\u202E', '\u200B', '\uFEFF',
                        '\uD800', '\uDFFF', 'é', '日', '\uFFFF')
                .ofMaxLength(20);
        Arbitrary<String> paths = Arbitraries.of(
                "../../etc/passwd",
                "..%2F..%2Fetc%2Fpasswd",
                "/etc/passwd",
                "C:\\Windows\\win.ini",
                "file:///etc/passwd",
                "\u0000",
                "",
                " ",
                "😀".repeat(60),
                "${jndi:ldap://x/a}",
                "<script>alert(1)</script>",
                "' OR 1=1 --");
        Arbitrary<String> longOnes =
                Arbitraries.strings().alpha().ofMinLength(1000).ofMaxLength(5_000);
        return Arbitraries.frequencyOf(Tuple.of(3, any), Tuple.of(3, odd), Tuple.of(2, paths), Tuple.of(1, longOnes))
                .map(s -> (Object) s);
    }

    /**
     * A value nested up to 3,000 deep, past the parser's nesting limit at the far end. It travels as a
     * placeholder string that {@link #write} replaces by the nested text: serialising thousands of
     * levels would overflow the test's own stack.
     */
    static Arbitrary<Object> nested() {
        return Arbitraries.integers().between(2, 3000).map(depth -> (Object) (NESTED + depth + "@@"));
    }

    private static final String NESTED = "@@nested-";
    private static final Pattern NESTED_PLACEHOLDER = Pattern.compile("\"" + NESTED + "(\\d+)@@\"");

    private static byte[] write(Object tree) {
        String json = WRITER.writeValueAsString(tree);
        Matcher m = NESTED_PLACEHOLDER.matcher(json);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int depth = Integer.parseInt(m.group(1));
            String nested = "[{\"a\":".repeat(depth / 2) + "1" + "}]".repeat(depth / 2);
            m.appendReplacement(out, Matcher.quoteReplacement(nested));
        }
        m.appendTail(out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    enum Edit {
        REPLACE,
        REMOVE,
        ADD
    }

    /** One edit at the {@code pick}-th editable place of the tree (modulo their number). */
    record Mutation(int pick, Edit edit, Object value) {

        private static final int MAX_EDIT_DEPTH = 20;

        void applyTo(Object root, Set<String> protectedPaths) {
            List<Place> places = new ArrayList<>();
            collect(root, "", 0, protectedPaths, places);
            if (places.isEmpty()) {
                return;
            }
            Place place = places.get(pick % places.size());
            switch (edit) {
                case REPLACE -> place.replace(value);
                case REMOVE -> place.remove();
                case ADD -> place.addSibling("x" + pick, value);
            }
        }

        @SuppressWarnings("unchecked")
        private static void collect(
                Object node, String path, int depth, Set<String> protectedPaths, List<Place> places) {
            if (depth > MAX_EDIT_DEPTH) {
                return; // inside a value an earlier edit nested thousands deep
            }
            if (node instanceof Map<?, ?> map) {
                for (Object key : new ArrayList<>(map.keySet())) {
                    String child = path + "/" + key;
                    if (touchable(child, protectedPaths)) {
                        places.add(new Place((Map<String, Object>) map, null, (String) key, -1));
                    }
                    collect(map.get(key), child, depth + 1, protectedPaths, places);
                }
            } else if (node instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    String child = path + "/" + i;
                    if (touchable(child, protectedPaths)) {
                        places.add(new Place(null, (List<Object>) list, null, i));
                    }
                    collect(list.get(i), child, depth + 1, protectedPaths, places);
                }
            }
        }

        /** Neither a protected path, nor inside one, nor one of its ancestors. */
        private static boolean touchable(String path, Set<String> protectedPaths) {
            return protectedPaths.stream()
                    .noneMatch(p -> p.equals(path) || path.startsWith(p + "/") || p.startsWith(path + "/"));
        }
    }

    /** A value's place in its parent object or array. */
    record Place(Map<String, Object> object, List<Object> array, String key, int index) {

        void replace(Object value) {
            if (object != null) {
                object.put(key, value);
            } else {
                array.set(index, value);
            }
        }

        void remove() {
            if (object != null) {
                object.remove(key);
            } else {
                array.remove(index);
            }
        }

        void addSibling(String name, Object value) {
            if (object != null) {
                object.put(name, value);
            } else {
                array.add(value);
            }
        }
    }
}
