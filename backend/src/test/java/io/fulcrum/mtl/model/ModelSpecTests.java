package io.fulcrum.mtl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.mtl.Json;
import io.fulcrum.mtl.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTests {

    @Test
    void unsetLaterFieldsLeaveTheJsonAsItWasSoRunsKeepTheirConfigurationHash() {
        String json = io.fulcrum.system.Json.MAPPER.writeValueAsString(TestModels.spec("ple", 2));
        assertThat(json).doesNotContain("expertNorm", "calibratorWeight", "after");
        ModelSpec funnel = TestModels.spec("esmm", 2);
        String withFunnel = io.fulcrum.system.Json.MAPPER.writeValueAsString(funnel);
        assertThat(withFunnel).contains("\"after\":\"t0\"");
        assertThat(Json.MAPPER.readValue(withFunnel, ModelSpec.class)).isEqualTo(funnel);
    }

    @Test
    void absentFieldsTakeThePapersDefaults() {
        ModelSpec spec = Json.MAPPER.readValue(
                "{\"architecture\":\"ple\",\"inputs\":{\"dense\":[\"a\"]},"
                        + "\"tasks\":[{\"name\":\"vtr\",\"type\":\"BINARY\"},{\"name\":\"vcr\",\"type\":\"REGRESSION\"}]}",
                ModelSpec.class);
        assertThat(spec.towerUnits()).containsExactly(256, 128, 64);
        assertThat(spec.experts().units()).containsExactly(256);
        assertThat(spec.levels()).isEqualTo(2);
        assertThat(spec.gateBias()).isFalse();
        assertThat(spec.validate()).isEmpty();
    }

    @Test
    void roundTripsThroughJson() {
        ModelSpec spec = TestModels.spec("sluice", 3);
        String json = Json.MAPPER.writeValueAsString(spec);
        assertThat(json).doesNotContain("encodedWidth").doesNotContain("kind");
        assertThat(Json.MAPPER.readValue(json, ModelSpec.class)).isEqualTo(spec);
    }

    @Test
    void unknownArchitectureNamesTheField() {
        assertThatThrownBy(() -> TestModels.spec("foo", 2).validated())
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("architecture: unknown 'foo'");
    }

    @Test
    void zeroExpertsNamesTheField() {
        ModelSpec spec = TestModels.spec("mmoe", 2).withExperts(new ModelSpec.Experts(0, 1, List.of(8)));
        assertThat(spec.validate()).containsExactly("experts.shared: must be >= 1, got 0");
        ModelSpec cgc = TestModels.spec("cgc", 2).withExperts(new ModelSpec.Experts(1, 0, List.of(8)));
        assertThat(cgc.validate()).containsExactly("experts.perTask: must be >= 1, got 0");
    }

    @Test
    void negativeSizesNameTheField() {
        ModelSpec base = TestModels.spec("shared-bottom", 2);
        ModelSpec spec = new ModelSpec(
                "shared-bottom",
                base.inputs(),
                base.tasks(),
                new ModelSpec.Experts(2, 2, List.of(-4)),
                List.of(8),
                List.of(16, -1),
                0,
                false,
                "relu",
                0.0,
                2);
        assertThat(spec.validate())
                .containsExactlyInAnyOrder(
                        "experts.units[0]: must be >= 1, got -4",
                        "towerUnits[1]: must be >= 1, got -1",
                        "levels: must be >= 1, got 0");
    }

    @Test
    void tasksMismatchNamesTheField() {
        ModelSpec one = TestModels.spec("ple", 2).withTasks(List.of(new ModelSpec.TaskSpec("ctr", TaskType.BINARY)));
        assertThat(one.validate()).containsExactly("tasks: ple needs at least 2 tasks, got 1");
        ModelSpec duplicate = TestModels.spec("mmoe", 2)
                .withTasks(List.of(
                        new ModelSpec.TaskSpec("ctr", TaskType.BINARY),
                        new ModelSpec.TaskSpec("ctr", TaskType.BINARY)));
        assertThat(duplicate.validate()).containsExactly("tasks[1].name: duplicate 'ctr'");
        assertThat(TestModels.spec("single", 2)
                        .withTasks(List.of(new ModelSpec.TaskSpec("ctr", TaskType.BINARY)))
                        .validate())
                .isEmpty();
    }

    @Test
    void sluiceSubspacesMustDivideTheWidth() {
        ModelSpec base = TestModels.spec("sluice", 2);
        ModelSpec spec = new ModelSpec(
                "sluice",
                base.inputs(),
                base.tasks(),
                base.experts(),
                base.bottomUnits(),
                base.towerUnits(),
                2,
                false,
                "relu",
                0.0,
                3);
        assertThat(spec.validate()).containsExactly("sluiceSubspaces: must divide experts.units' last width 8, got 3");
    }
}
