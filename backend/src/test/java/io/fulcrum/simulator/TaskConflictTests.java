package io.fulcrum.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskConflictTests {

    private static VideoWorld world(Double taskCorrelation) {
        return VideoWorld.build(
                SimulatorFixtures.smallSpec()
                        .withConflict(new VideoWorldSpec.Conflict(taskCorrelation, null, null, null)),
                4);
    }

    @Test
    void aTaskAgreesWithItselfEverywhere() {
        TaskConflict self = TaskConflict.measure(world(null), List.of("valid_view", "valid_view"), 1, 2_000, 50, 20)
                .get(0);
        assertThat(self.impressionCorrelation()).isCloseTo(1.0, within(1e-12));
        assertThat(self.sessionCorrelation()).isCloseTo(1.0, within(1e-12));
        assertThat(self.discordantPairs()).isEqualTo(0.0);
    }

    @Test
    void measuresEveryPairInOrderAndTheSameForTheSameSeed() {
        List<String> labels = List.of("click", "valid_view", "completion_ratio");
        List<TaskConflict> first = TaskConflict.measure(world(null), labels, 3, 2_000, 50, 20);
        assertThat(first)
                .extracting(TaskConflict::a, TaskConflict::b)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("click", "valid_view"),
                        org.assertj.core.groups.Tuple.tuple("click", "completion_ratio"),
                        org.assertj.core.groups.Tuple.tuple("valid_view", "completion_ratio"));
        assertThat(TaskConflict.measure(world(null), labels, 3, 2_000, 50, 20)).isEqualTo(first);
    }

    @Test
    void opposingClickAppealAndSatisfactionPullsViewsAndCompletionApart() {
        List<String> labels = List.of("valid_view", "completion_ratio");
        TaskConflict today = TaskConflict.measure(world(null), labels, 2).get(0);
        TaskConflict opposed = TaskConflict.measure(world(-0.5), labels, 2).get(0);
        assertThat(opposed.impressionCorrelation()).isLessThan(today.impressionCorrelation() - 0.1);
        assertThat(opposed.sessionCorrelation()).isLessThan(today.sessionCorrelation() - 0.1);
        assertThat(opposed.discordantPairs()).isGreaterThan(today.discordantPairs() + 0.05);
        assertThat(today.discordantPairs()).isBetween(0.0, 0.5);
    }

    @Test
    void refusesAnUnknownLabel() {
        assertThatThrownBy(() -> TaskConflict.measure(world(null), List.of("click", "likes"), 1))
                .hasMessageContaining("unknown label 'likes'");
    }
}
