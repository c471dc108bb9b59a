package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CliArgsTests {

    private static CliArgs parse(String... args) {
        return new CliArgs(args, Set.of("data", "seeds"), Set.of("sample-weights"));
    }

    @Test
    void aSwitchTakesNoValueWhereverItStands() {
        CliArgs last = parse("--data", "x.gz", "--sample-weights");
        CliArgs first = parse("--sample-weights", "--data", "x.gz");

        assertThat(last.flag("sample-weights")).isTrue();
        assertThat(first.flag("sample-weights")).isTrue();
        assertThat(first.string("data", null)).isEqualTo("x.gz");
        assertThat(parse("--data", "x.gz").flag("sample-weights")).isFalse();
        assertThat(parse("--sample-weights=false").flag("sample-weights")).isFalse();
        assertThat(parse("--sample-weights=true").flag("sample-weights")).isTrue();
    }

    @Test
    void refusesASwitchWithAnotherValueAndUnknownNames() {
        assertThatThrownBy(() -> parse("--sample-weights=yes").flag("sample-weights"))
                .hasMessage("--sample-weights: a switch, given alone or as =true or =false");
        assertThatThrownBy(() -> parse("--weights", "1")).hasMessage("--weights: unknown option");
    }

    @Test
    void seedsAreACountOrAList() {
        assertThat(parse().seeds("seeds", 5)).containsExactly(1, 2, 3, 4, 5);
        assertThat(parse("--seeds", "3").seeds("seeds", 5)).containsExactly(1, 2, 3);
        assertThat(parse("--seeds", "1,2,3").seeds("seeds", 5)).containsExactly(1, 2, 3);
        assertThat(parse("--seeds", "105, 101,102").seeds("seeds", 5)).containsExactly(105, 101, 102);
    }

    @Test
    void refusesDuplicateNonPositiveAndUnreadableSeeds() {
        assertThatThrownBy(() -> parse("--seeds", "1,2,1").seeds("seeds", 5))
                .hasMessage("--seeds: seed 1 is given twice");
        assertThatThrownBy(() -> parse("--seeds", "0").seeds("seeds", 5))
                .hasMessage("--seeds: the count must be >= 1, got 0");
        assertThatThrownBy(() -> parse("--seeds", "3,-1").seeds("seeds", 5))
                .hasMessage("--seeds: every seed must be >= 1, got -1");
        assertThatThrownBy(() -> parse("--seeds", "1,,2").seeds("seeds", 5))
                .hasMessageStartingWith("--seeds: a count such as 5 or a list of seeds such as 1,2,3");
        assertThatThrownBy(() -> parse("--seeds", "three").seeds("seeds", 5))
                .hasMessage("--seeds: a count such as 5 or a list of seeds such as 1,2,3, got 'three'");
    }
}
