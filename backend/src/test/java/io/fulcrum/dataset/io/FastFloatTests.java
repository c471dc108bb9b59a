package io.fulcrum.dataset.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastFloatTests {

    static float parse(String text) {
        return FastFloat.parse(text, 0, text.length());
    }

    @Test
    void agreesWithFloatParseFloatOnTypicalValues() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            double value = random.nextDouble(-1e6, 1e6) * Math.pow(10, random.nextInt(-8, 3));
            String text = i % 3 == 0 ? Float.toString((float) value) : Double.toString(value);
            assertThat(parse(text)).as(text).isEqualTo(Float.parseFloat(text));
        }
    }

    @Test
    void readsTheUsualSpellings() {
        assertThat(parse(" 42 ")).isEqualTo(42f);
        assertThat(parse("-0.5")).isEqualTo(-0.5f);
        assertThat(parse("+.25")).isEqualTo(0.25f);
        assertThat(parse("7.")).isEqualTo(7f);
        assertThat(parse("1e3")).isEqualTo(1000f);
        assertThat(parse("2.5E-3")).isEqualTo(0.0025f);
        assertThat(parse("0.0")).isEqualTo(0f);
        assertThat(parse("123456789012345678901234")).isEqualTo(1.2345679e23f);
        assertThat(parse("0x1p3")).as("hexadecimal, through the slow path").isEqualTo(8f);
    }

    @Test
    void rejectsWhatIsNotAFiniteNumber() {
        assertThat(parse("")).isNaN();
        assertThat(parse("-")).isNaN();
        assertThat(parse(".")).isNaN();
        assertThat(parse("1e")).isNaN();
        assertThat(parse("1.2.3")).isNaN();
        assertThat(parse("twelve")).isNaN();
        assertThat(parse("1e999")).isNaN();
        assertThat(parse("Infinity")).isNaN();
        assertThat(parse("NaN")).isNaN();
    }
}
