package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.mtl.Json;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.exc.MismatchedInputException;

class FeatureMapTests {

    static RankRequest read(String json) {
        return Json.MAPPER.readValue(json, RankRequest.class);
    }

    @Test
    void readsEveryKindOfValueAndKeepsTheLastOfARepeatedName() {
        RankRequest request = read("""
                {"userId": "u", "context": {"hour": 20, "big": 123456789012345678901234567890, "x": 1.5},
                 "candidates": [{"itemId": "a", "features": {"id": 7, "id": 8, "name": "red", "flag": true,
                                 "none": null, "nested": {"a": [1, 2]}, "list": [1], "after": 2.25}}]}""");

        Map<String, Object> context = request.context();
        assertThat(context.get("hour")).isEqualTo(20);
        assertThat(context.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(context.get("x")).isEqualTo(1.5);
        Map<String, Object> features = request.candidates().get(0).features();
        assertThat(features.get("id")).isEqualTo(8);
        assertThat(features.get("name")).isEqualTo("red");
        assertThat(features.get("flag")).isEqualTo(true);
        assertThat(features.containsKey("none")).isTrue();
        assertThat(features.get("none")).isNull();
        assertThat(features.get("nested")).isSameAs(FeatureMap.NESTED);
        assertThat(features.get("list")).isSameAs(FeatureMap.NESTED);
        assertThat(features.get("after")).isEqualTo(2.25);
        assertThat(features.get("missing")).isNull();
        assertThat(features.get(42)).isNull();

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 8);
        expected.put("name", "red");
        expected.put("flag", true);
        expected.put("none", null);
        expected.put("nested", FeatureMap.NESTED);
        expected.put("list", FeatureMap.NESTED);
        expected.put("after", 2.25);
        assertThat(features).isEqualTo(expected).hasSize(7);
    }

    @Test
    void aNestedValueIsAMistypedFeature() {
        RankRequest request = read("""
                {"userId": "u", "context": {"a": [1], "b": 1},
                 "candidates": [{"itemId": "x", "features": {"c": {"v": 42}}}]}""");
        Violations violations = new Violations();

        new CandidateEncoder(CandidateEncoderTests.SPEC, CandidateEncoderTests.PREP, CandidateEncoderTests.TEXT)
                .encode(request, false, violations);

        assertThatThrownBy(violations::throwIfAny)
                .hasMessageContaining("context.a: must be a finite JSON number")
                .hasMessageContaining("candidates[0].features.c: must be an integer");
    }

    @Test
    void featuresThatAreNoObjectAreRefusedWithTheirPath() {
        assertThatThrownBy(() -> read("""
                        {"userId": "u", "candidates": [{"itemId": "x", "features": {}}, {"itemId": "y", "features": [1]}]}"""))
                .isInstanceOf(MismatchedInputException.class)
                .satisfies(e -> assertThat(((MismatchedInputException) e).getPath())
                        .extracting(r -> r.getPropertyName() == null ? "[" + r.getIndex() + "]" : r.getPropertyName())
                        .containsExactly("candidates", "[1]", "features"));
    }
}
