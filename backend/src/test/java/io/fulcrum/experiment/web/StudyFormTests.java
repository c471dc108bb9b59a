package io.fulcrum.experiment.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.system.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudyFormTests {

    private static Boolean weightsOf(String choice, List<FieldViolation> violations) {
        StudyForm form = StudyForm.blank();
        form.setName("weights");
        form.setUseSampleWeights(choice);
        return form.toRequest(violations).training().useSampleWeights();
    }

    @Test
    void sampleWeightsAreOnOffOrTheDatasetsDefault() {
        List<FieldViolation> violations = new ArrayList<>();
        assertThat(weightsOf("on", violations)).isTrue();
        assertThat(weightsOf("off", violations)).isFalse();
        assertThat(weightsOf("", violations)).isNull();
        assertThat(weightsOf(null, violations)).isNull();
        assertThat(violations).isEmpty();
    }

    @Test
    void anyOtherChoiceIsAViolationOfItsField() {
        List<FieldViolation> violations = new ArrayList<>();
        assertThat(weightsOf("sometimes", violations)).isNull();
        assertThat(violations)
                .extracting(FieldViolation::field, FieldViolation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("useSampleWeights", "one-of"));
    }

    @Test
    void parameterMatchingIsOnOrAsSpecifiedWithItsBudget() {
        List<FieldViolation> violations = new ArrayList<>();
        StudyForm form = StudyForm.blank();
        form.setName("matched");
        assertThat(form.toRequest(violations).matchParameters()).isNull();
        form.setMatchParameters("on");
        form.setParameterBudget(50_000L);
        assertThat(form.toRequest(violations).matchParameters()).isTrue();
        assertThat(form.toRequest(violations).parameterBudget()).isEqualTo(50_000L);
        assertThat(violations).isEmpty();

        form.setMatchParameters("always");
        assertThat(form.toRequest(violations).matchParameters()).isNull();
        assertThat(violations)
                .extracting(FieldViolation::field, FieldViolation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("matchParameters", "one-of"));
    }
}
