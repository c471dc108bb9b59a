package io.fulcrum.mtl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.TestModels;
import io.fulcrum.mtl.data.PreprocessingState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParameterMatchingTests {

    private static ModelSpec spec(Architecture architecture) {
        return TestModels.spec(architecture.cliName(), 3);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void countsWhatTheBuiltModelHas(Architecture architecture) {
        ModelSpec spec = spec(architecture);
        try (MtlModel model = MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), 1)) {
            assertThat(ParameterMatching.count(spec)).isEqualTo(model.parameterCount());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void growsAndShrinksEveryArchitectureToWithinFivePercentOfABudget(Architecture architecture) {
        ModelSpec spec = spec(architecture);
        for (long budget : new long[] {3_000, 20_000, 150_000}) {
            ModelSpec matched = ParameterMatching.match(spec, budget);
            try (MtlModel model = MtlModel.create(matched, PreprocessingState.identity(matched.inputs()), 1)) {
                assertThat((double) model.parameterCount())
                        .as("%s at %d", architecture, budget)
                        .isBetween(budget * 0.95, budget * 1.05);
            }
            assertThat(matched.tasks()).isEqualTo(spec.tasks());
            assertThat(matched.inputs()).isEqualTo(spec.inputs());
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Architecture.class,
            names = {"SINGLE", "MMOE", "PLE"})
    void refusesABudgetBelowTheSmallestModel(Architecture architecture) {
        ModelSpec spec = spec(architecture);
        long smallest = ParameterMatching.smallest(spec);
        assertThat(smallest).isLessThan(ParameterMatching.count(spec));
        assertThatThrownBy(() -> ParameterMatching.match(spec, smallest / 2))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("parameterBudget")
                .hasMessageContaining(String.valueOf(smallest));
    }
}
