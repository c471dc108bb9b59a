package io.fulcrum.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.loss.ScheduleUnit;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.taskgroup.EvaluationMetric;
import io.fulcrum.taskgroup.TaskDefinition;
import io.fulcrum.taskgroup.TaskKind;
import io.fulcrum.taskgroup.TaskLoss;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

@FulcrumSpringTest
class LossWeightSchedulesTests {

    @Autowired
    LossWeightSchedules schedules;

    @Autowired
    JsonMapper json;

    ScheduleView create(String spec) {
        return schedules.create(request(spec));
    }

    ScheduleRequest request(String spec) {
        return new ScheduleRequest("facade-" + UUID.randomUUID(), "", json.readTree(spec));
    }

    static TaskDefinition task(String name, double initialWeight, double updateRatio) {
        return new TaskDefinition(
                name, TaskKind.BINARY, name, TaskLoss.BCE, EvaluationMetric.AUC, null, initialWeight, updateRatio);
    }

    @Test
    void resolvesTheLatestVersionForARun() {
        ScheduleView created = create("{\"type\": \"constant\"}");
        schedules.replace(created.id(), request("{\"type\": \"dwa\", \"temperature\": 1.5}"));

        ScheduleVersionRef ref = schedules.resolve(created.id());

        assertThat(ref.scheduleId()).isEqualTo(created.id());
        assertThat(ref.version()).isEqualTo(2);
        assertThat(ref.spec()).isEqualTo(new LossWeightSpec.Dwa(1.5));
    }

    @Test
    void readsTheSpecOfAnyVersion() {
        ScheduleView created = create("{\"type\": \"constant\", \"weights\": [1, 0.5]}");
        schedules.replace(created.id(), request("{\"type\": \"uncertainty\"}"));

        LossWeightSpec first = schedules.spec(created.id(), 1);

        assertThat(first)
                .isInstanceOfSatisfying(
                        LossWeightSpec.Constant.class,
                        constant -> assertThat(constant.weights()).containsExactly(1f, 0.5f));
        assertThat(schedules.spec(created.id(), 2)).isInstanceOf(LossWeightSpec.Uncertainty.class);
    }

    @Test
    void defaultsToThePapersDecayWithEachTasksWeightAndRatio() {
        LossWeightSpec spec = LossWeightSchedules.defaultFor(List.of(task("ctr", 1.0, 1.0), task("cvr", 0.5, 0.9)));

        assertThat(spec).isInstanceOfSatisfying(LossWeightSpec.Exponential.class, exponential -> {
            assertThat(exponential.initial()).containsExactly(1f, 0.5f);
            assertThat(exponential.gamma()).containsExactly(1f, 0.9f);
            assertThat(exponential.unit()).isEqualTo(ScheduleUnit.EPOCH);
        });
        schedules.checkFits(spec, 2);
    }

    @Nested
    class Failing {

        @Test
        void resolvingAnUnknownScheduleIsNotFound() {
            assertThatThrownBy(() -> schedules.resolve(999_999_999L))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessage("Loss-weight schedule 999999999 does not exist");
            ScheduleView created = create("{\"type\": \"constant\"}");
            assertThatThrownBy(() -> schedules.spec(created.id(), 3)).isInstanceOf(NotFoundException.class);
        }

        @Test
        void aSpecThatDoesNotFitTheTaskCountNamesTheField() {
            LossWeightSpec spec =
                    new LossWeightSpec.Piecewise(new long[] {2}, new float[][] {{1, 1}, {1, 1, 1}}, ScheduleUnit.EPOCH);

            InvalidInputException e = catchThrowableOfType(
                    InvalidInputException.class, () -> schedules.checkFits(spec, 2, "lossWeightScheduleId"));

            assertThat(e.violations())
                    .extracting(FieldViolation::field, FieldViolation::rule)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("lossWeightScheduleId", "fits-tasks"));
            assertThat(e.violations().get(0).message()).contains("spec.values[1]", "3 values", "2 tasks");
        }

        @Test
        void countFreeSpecsFitAnyTaskCount() {
            for (int tasks = 1; tasks <= 32; tasks++) {
                schedules.checkFits(new LossWeightSpec.Constant(null), tasks);
                schedules.checkFits(new LossWeightSpec.Warmup(null, null, 10, null), tasks);
                schedules.checkFits(new LossWeightSpec.Dwa(null), tasks);
                schedules.checkFits(new LossWeightSpec.Uncertainty(null), tasks);
            }
        }
    }
}
