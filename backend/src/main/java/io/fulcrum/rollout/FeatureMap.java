package io.fulcrum.rollout;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * The features of a candidate (or the context) as parsed: names and values side by side in arrays,
 * looked up by cached hash. A request of 200 candidates holds 200 of these; a linked hash map per
 * candidate was a quarter of the request thread's Java time. Read-only; a repeated name keeps its
 * last value, as JSON objects read into maps do.
 */
final class FeatureMap extends AbstractMap<String, Object> {

    /** What a nested object or array stands for: no feature value, reported as mistyped. */
    static final Object NESTED = new Object() {
        @Override
        public String toString() {
            return "a nested JSON value";
        }
    };

    private String[] names = new String[8];
    private int[] hashes = new int[8];
    private Object[] values = new Object[8];
    private int size;

    void add(String name, Object value) {
        if (size == names.length) {
            names = java.util.Arrays.copyOf(names, size * 2);
            hashes = java.util.Arrays.copyOf(hashes, size * 2);
            values = java.util.Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        hashes[size] = name.hashCode();
        values[size] = value;
        size++;
    }

    private int indexOf(Object key) {
        if (!(key instanceof String name)) {
            return -1;
        }
        int hash = name.hashCode();
        for (int i = size - 1; i >= 0; i--) {
            if (hashes[i] == hash && names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next = nextLive(0);

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, Object> entry = new SimpleImmutableEntry<>(names[next], values[next]);
                        next = nextLive(next + 1);
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                int live = 0;
                for (int i = nextLive(0); i < size; i = nextLive(i + 1)) {
                    live++;
                }
                return live;
            }
        };
    }

    /** The first index from {@code from} whose name is not repeated later (the value that counts). */
    private int nextLive(int from) {
        for (int i = from; i < size; i++) {
            if (indexOf(names[i]) == i) {
                return i;
            }
        }
        return size;
    }

    /** Reads a JSON object of feature values straight into a {@link FeatureMap}. */
    static final class Deserializer extends ValueDeserializer<Map<String, Object>> {

        @Override
        public Map<String, Object> deserialize(JsonParser p, DeserializationContext ctxt) {
            if (!p.isExpectedStartObjectToken()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> unexpected = (Map<String, Object>) ctxt.handleUnexpectedToken(Map.class, p);
                return unexpected;
            }
            FeatureMap features = new FeatureMap();
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                JsonToken token = p.nextToken();
                Object value = switch (token) {
                    case VALUE_NUMBER_INT -> p.getNumberValue();
                    case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                    case VALUE_STRING -> p.getString();
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case VALUE_NULL -> null;
                    default -> {
                        p.skipChildren();
                        yield NESTED;
                    }
                };
                features.add(name, value);
            }
            return features;
        }
    }
}
