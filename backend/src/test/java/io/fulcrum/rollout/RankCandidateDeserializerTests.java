package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.rollout.internal.RankRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

class RankCandidateDeserializerTests {

    private final JsonMapper lenient = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RankRequest read(JsonMapper mapper, String candidates) {
        return mapper.readValue("{\"userId\": \"u\", \"candidates\": " + candidates + "}", RankRequest.class);
    }

    @Test
    void readsEveryFieldAsTheRecordWouldAndSkipsUnknownOnes() {
        RankRequest r = read(
                lenient,
                "[{\"itemId\": \"v-1\", \"features\": {\"a\": 1, \"b\": 0.5, \"c\": \"x\", \"d\": null},"
                        + " \"videoLength\": 95, \"extra\": {\"nested\": [1, 2]}},"
                        + " {\"itemId\": 7, \"videoLength\": null, \"features\": null}, null, {}]");
        assertThat(r.candidates()).hasSize(4);
        RankRequest.Candidate first = r.candidates().get(0);
        assertThat(first.itemId()).isEqualTo("v-1");
        assertThat(first.videoLength()).isEqualTo(95.0);
        assertThat(first.features()).containsOnlyKeys("a", "b", "c", "d");
        assertThat(first.features())
                .containsEntry("a", 1)
                .containsEntry("b", 0.5)
                .containsEntry("c", "x");
        assertThat(first.features().get("d")).isNull();
        // a number where the id is text is coerced, as for any string field
        assertThat(r.candidates().get(1)).isEqualTo(new RankRequest.Candidate("7", null, null));
        assertThat(r.candidates().get(2)).isNull();
        assertThat(r.candidates().get(3)).isEqualTo(new RankRequest.Candidate(null, null, null));
    }

    @Test
    void aMistypedFieldFailsWithItsPathAndTargetType() {
        assertThatThrownBy(() -> read(lenient, "[{\"itemId\": \"a\"}, {\"itemId\": \"b\", \"features\": [1]}]"))
                .isInstanceOfSatisfying(MismatchedInputException.class, e -> {
                    assertThat(e.getPathReference()).contains("candidates", "[1]", "features");
                    assertThat(Map.class.isAssignableFrom(e.getTargetType())).isTrue();
                });
        assertThatThrownBy(() -> read(lenient, "[{\"itemId\": \"a\", \"videoLength\": \"long\"}]"))
                .isInstanceOfSatisfying(MismatchedInputException.class, e -> {
                    assertThat(e.getPathReference()).contains("[0]", "videoLength");
                    assertThat(e.getTargetType()).isEqualTo(Double.class);
                });
        assertThatThrownBy(() -> read(lenient, "[[1]]"))
                .isInstanceOfSatisfying(
                        MismatchedInputException.class,
                        e -> assertThat(e.getTargetType()).isEqualTo(RankRequest.Candidate.class));
    }

    @Test
    void unknownFieldsFailWhereTheMapperSaysSo() {
        JsonMapper strict = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        assertThatThrownBy(() -> read(strict, "[{\"itemId\": \"a\", \"colour\": 1}]"))
                .isInstanceOf(MismatchedInputException.class)
                .hasMessageContaining("colour");
    }
}
