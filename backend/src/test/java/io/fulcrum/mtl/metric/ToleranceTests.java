package io.fulcrum.mtl.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToleranceTests {

    @Test
    void aPlainNumberIsAbsoluteForEveryMetric() {
        Tolerance t = Tolerance.parse("0.002");

        assertThat(t.absoluteFor("AUC", 0.8)).isEqualTo(0.002);
        assertThat(t.absoluteFor("mse", 40.0)).isEqualTo(0.002);
        assertThat(t.plainNumber()).hasValue(0.002);
        assertThat(t.spec()).isEqualTo("0.002");
    }

    @Test
    void noneIsZero() {
        assertThat(Tolerance.parse(null).absoluteFor("auc", 0.8)).isZero();
        assertThat(Tolerance.parse(" ").spec()).isEqualTo("0");
        assertThat(Tolerance.ZERO.plainNumber()).hasValue(0.0);
    }

    @Test
    void perMetricValuesAbsoluteOrRelativeToTheBaselineMean() {
        Tolerance t = Tolerance.parse("auc=0.001, MSE=1%");

        assertThat(t.absoluteFor("AUC", 0.8)).isEqualTo(0.001);
        // 1% of |−2.5|
        assertThat(t.absoluteFor("mse", -2.5)).isCloseTo(0.025, offset(1e-15));
        assertThat(t.absoluteFor("logloss", 0.3)).as("not named: 0").isZero();
        assertThat(t.plainNumber()).isEmpty();
        assertThat(t.spec()).isEqualTo("auc=0.001, MSE=1%");
    }

    @Test
    void aPercentageAloneIsRelativeForEveryMetric() {
        Tolerance t = Tolerance.parse("0.5%");

        assertThat(t.absoluteFor("auc", 0.8)).isCloseTo(0.004, offset(1e-15));
        assertThat(t.absoluteFor("mae", 2.0)).isCloseTo(0.01, offset(1e-15));
        assertThat(t.plainNumber()).isEmpty();
    }

    @Nested
    class Refusing {

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '"',
                value = {
                    "f1=0.1          | one-of | unknown metric 'f1'",
                    "auc=0.1,ndcg=1% | one-of | unknown metric 'ndcg'",
                    "-0.1            | range  | must be a finite number >= 0",
                    "auc=-1%         | range  | must be a finite number >= 0",
                    "Infinity        | range  | must be a finite number >= 0",
                    "abc             | format | 'abc' is not a number",
                    "auc=            | format | '' is not a number",
                    "auc=1,auc=2     | format | 'auc' is given twice",
                    "0.1,mse=1%      | format | metric=value pairs",
                })
        void anUnusableSpecNamingTheRule(String spec, String rule, String message) {
            assertThatThrownBy(() -> Tolerance.parse(spec))
                    .isInstanceOfSatisfying(
                            Tolerance.InvalidTolerance.class,
                            e -> assertThat(e.rule()).isEqualTo(rule))
                    .hasMessageContaining(message);
        }
    }
}
