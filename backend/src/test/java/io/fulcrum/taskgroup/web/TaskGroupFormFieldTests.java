package io.fulcrum.taskgroup.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskGroupFormFieldTests {

    @Test
    void mapsSampleSpaceViolationsToTheFormsNameField() {
        assertThat(TaskGroupPageController.formField("tasks[2].sampleSpace.task"))
                .isEqualTo("tasks[2].sampleSpaceName");
        assertThat(TaskGroupPageController.formField("tasks[0].sampleSpace.column"))
                .isEqualTo("tasks[0].sampleSpaceName");
        assertThat(TaskGroupPageController.formField("tasks[1].sampleSpace")).isEqualTo("tasks[1].sampleSpaceName");
    }

    @Test
    void keepsOtherFieldsAsTheyAre() {
        assertThat(TaskGroupPageController.formField("tasks[1].loss")).isEqualTo("tasks[1].loss");
        assertThat(TaskGroupPageController.formField("name")).isEqualTo("name");
    }
}
