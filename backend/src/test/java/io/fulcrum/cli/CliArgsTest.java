package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CliArgsTest {

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
}
