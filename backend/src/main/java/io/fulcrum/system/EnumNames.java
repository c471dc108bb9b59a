package io.fulcrum.system;

import java.util.Locale;

/** Enum constants named by wire values, which people type in any case and with stray spaces. */
public final class EnumNames {

    private EnumNames() {}

    /** The constant of {@code type} that {@code value} names, case-insensitively, or null when none does. */
    public static <E extends Enum<E>> E lenient(Class<E> type, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
