package io.fulcrum.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import org.junit.jupiter.api.Test;

class EnumNamesTests {

    @Test
    void namesAreReadInAnyCaseWithStraySpaces() {
        assertThat(EnumNames.lenient(DayOfWeek.class, " monday ")).isEqualTo(DayOfWeek.MONDAY);
        assertThat(EnumNames.lenient(DayOfWeek.class, "Friday")).isEqualTo(DayOfWeek.FRIDAY);
    }

    @Test
    void unknownBlankAndMissingNamesAreNull() {
        assertThat(EnumNames.lenient(DayOfWeek.class, "someday")).isNull();
        assertThat(EnumNames.lenient(DayOfWeek.class, " ")).isNull();
        assertThat(EnumNames.lenient(DayOfWeek.class, null)).isNull();
    }
}
