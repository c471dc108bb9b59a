package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.Predictions;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.TaskType;
import io.fulcrum.rollout.internal.CandidateEncoder;
import io.fulcrum.rollout.internal.LongIntMap;
import io.fulcrum.rollout.internal.RankRequest;
import io.fulcrum.rollout.internal.Violations;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Encoding of candidates against a hand-made model: dense a, b and categorical c whose training data
 * knew the values "red" (id 0), "7" (id 1) and "42" (id 2), listed by the preprocessing under rows
 * 2, 3 and 1 (the order of the preprocessing's vocabulary, as training wrote it).
 */
class CandidateEncoderTests {

    static final ModelSpec SPEC = new ModelSpec(
            "mmoe",
            new ModelSpec.Inputs(List.of("a", "b"), List.of(new ModelSpec.CategoricalFeature("c", 3, 2))),
            List.of(new ModelSpec.TaskSpec("t1", TaskType.BINARY), new ModelSpec.TaskSpec("t2", TaskType.REGRESSION)),
            new ModelSpec.Experts(2, null, List.of(4)),
            null,
            List.of(4),
            null,
            null,
            null,
            null,
            null);
    static final PreprocessingState PREP = new PreprocessingState(
            List.of("a", "b"),
            new double[] {1.0, -2.0},
            new double[] {2.0, 0.5},
            List.of(new PreprocessingState.Vocabulary("c", new long[] {2, 0, 1})));
    static final Map<String, List<String>> TEXT = Map.of("c", List.of("red", "7", "42"));

    static MtlModel model;
    final CandidateEncoder encoder = new CandidateEncoder(SPEC, PREP, TEXT);

    @BeforeAll
    static void build() {
        model = MtlModel.create(SPEC, PREP, 3);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static RankRequest request(Map<String, Object> context, List<Map<String, Object>> features, Double... lengths) {
        List<RankRequest.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            candidates.add(
                    new RankRequest.Candidate("item-" + i, features.get(i), lengths.length > i ? lengths[i] : null));
        }
        return new RankRequest(null, "u", context, candidates, null);
    }

    static Map<String, Object> features(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    CandidateEncoder.Encoded encode(RankRequest request, boolean needsLength) {
        Violations violations = new Violations();
        CandidateEncoder.Encoded encoded = encoder.encode(request, needsLength, violations);
        violations.throwIfAny();
        return encoded;
    }

    List<FieldViolation> violations(RankRequest request, boolean needsLength) {
        Violations violations = new Violations();
        encoder.encode(request, needsLength, violations);
        assertThat(violations.any()).isTrue();
        try {
            violations.throwIfAny();
            throw new AssertionError("unreachable");
        } catch (InvalidInputException e) {
            return e.violations();
        }
    }

    @Test
    void encodesAsTrainingDidAndPredictsLikeTheModelOnTrainingIds() {
        RankRequest request = request(
                features("b", 0.25),
                List.of(
                        features("a", 3.0, "c", 42),
                        features("a", -1, "c", "red", "b", 4),
                        features("a", 0.5, "c", 7L)));

        CandidateEncoder.Encoded encoded = encode(request, false);

        // the same rows as the preprocessing makes from the training ids: "42" → id 2, "red" → 0, "7" → 1
        float[] raw = {3.0f, 0.25f, -1f, 4f, 0.5f, 0.25f};
        long[] ids = {2, 0, 1};
        MtlDataset expected = PREP.transform(new MtlDataset(3, 2, raw, 1, ids, 2, new float[6], null));
        assertThat(encoded.rows().dense()).containsExactly(expected.dense());
        assertThat(encoded.rows().categorical()).containsExactly(1, 2, 3);
        assertThat(encoded.rows().categorical()).containsExactly(expected.categorical());
        assertThat(encoded.oovValues()).isZero();

        Predictions served = model.predictEncoded(encoded.rows(), 3);
        Predictions direct = model.predict(3, raw, ids);
        assertThat(served.values()[0]).containsExactly(direct.values()[0]);
        assertThat(served.values()[1]).containsExactly(direct.values()[1]);
    }

    @Test
    void aCandidateFeatureWinsOverTheContext() {
        RankRequest request =
                request(features("a", 100.0, "b", 1.0, "c", 42), List.of(features("a", 5.0), features("c", "7")));

        CandidateEncoder.Encoded encoded = encode(request, false);

        assertThat(encoded.rows().dense()).containsExactly((float) ((5.0 - 1) / 2), 6f, (float) ((100.0 - 1) / 2), 6f);
        assertThat(encoded.rows().categorical()).containsExactly(1, 3);
    }

    @Test
    void unknownValuesGoToTheOutOfVocabularyRowAndAreCounted() {
        RankRequest request = request(
                features("a", 1, "b", 1, "c", "blue"),
                List.of(features("c", 99), features(), features("c", "nope"), features()));

        CandidateEncoder.Encoded encoded = encode(request, false);

        assertThat(encoded.rows().categorical()).containsExactly(0, 0, 0, 0);
        // two candidates' own unknown values, and the context's unknown value once however many use it
        assertThat(encoded.oovValues()).isEqualTo(3);
        assertThat(encoded.oovByFeature()).containsExactly(3);
    }

    @Test
    void integralNumbersAndTextAreCategoricalValues() {
        RankRequest request = request(
                features("a", 1, "b", 1),
                List.of(
                        features("c", 42.0),
                        features("c", BigInteger.valueOf(42)),
                        features("c", "42"),
                        features("c", 7),
                        features("c", new java.math.BigDecimal("7.000"))));

        assertThat(encode(request, false).rows().categorical()).containsExactly(1, 1, 1, 3, 3);
    }

    @Test
    void namesEveryBrokenRuleWithItsFieldPath() {
        RankRequest request = request(
                features("a", "x", "b", 1),
                List.of(
                        features("a", 1, "c", 42),
                        features("b", "high", "c", 42, "a", 2),
                        features("c", 1.5, "a", 1),
                        features("c", true, "a", 1),
                        features("a", 1, "c", 42),
                        features("a", 1, "c", 42)),
                1.0,
                2.0,
                3.0,
                4.0,
                null,
                -3.0);

        List<FieldViolation> found = violations(request, true);

        assertThat(found)
                .extracting(FieldViolation::field, FieldViolation::rule)
                .containsExactlyInAnyOrder(
                        tuple("context.a", "type"),
                        tuple("candidates[1].features.b", "type"),
                        tuple("candidates[2].features.c", "type"),
                        tuple("candidates[3].features.c", "type"),
                        tuple("candidates[4].videoLength", "required"),
                        tuple("candidates[5].videoLength", "min"));
    }

    @Test
    void aMissingInputIsRequiredOfEachCandidateThatLacksIt() {
        RankRequest request =
                request(features("b", 1), List.of(features("a", 1, "c", 42), features("c", 42), features("a", 2)));

        assertThat(violations(request, false))
                .extracting(FieldViolation::field, FieldViolation::rule)
                .containsExactly(
                        tuple("candidates[1].features.a", "required"), tuple("candidates[2].features.c", "required"));
    }

    @Test
    void theLengthIsOnlyRequiredWhenTheScoringUsesIt() {
        RankRequest request = request(features("a", 1, "b", 1, "c", 7), List.of(features(), features()));

        assertThat(encode(request, false).lengths()).containsExactly(0, 0);
        assertThat(violations(request, true))
                .extracting(FieldViolation::field)
                .containsExactly("candidates[0].videoLength", "candidates[1].videoLength");
    }

    @Test
    void aThousandBrokenCandidatesListFiftyViolations() {
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            candidates.add(features("a", "bad"));
        }
        List<FieldViolation> found = violations(request(Map.of(), candidates), false);
        assertThat(found).hasSize(Violations.MAX);
    }

    @Test
    void numbersMatchOnlyTheCanonicalTextOfAValue() {
        CandidateEncoder leadingZero = new CandidateEncoder(SPEC, PREP, Map.of("c", List.of("007", "-3", "5")));
        RankRequest request = request(
                features("a", 1, "b", 1),
                List.of(
                        features("c", 7),
                        features("c", "007"),
                        features("c", -3),
                        features("c", 5.0),
                        features("c", new BigInteger("123456789012345678901234567890"))));
        Violations violations = new Violations();

        CandidateEncoder.Encoded encoded = leadingZero.encode(request, false, violations);

        assertThat(violations.any()).isFalse();
        // rows: id 2 ("5") → 1, id 0 ("007") → 2, id 1 ("-3") → 3
        assertThat(encoded.rows().categorical()).containsExactly(0, 2, 3, 1, 0);
        assertThat(encoded.oovValues()).isEqualTo(2);
    }

    @Test
    void theLongMapFindsEveryKeyItHolds() {
        LongIntMap map = new LongIntMap(1000);
        java.util.Random random = new java.util.Random(3);
        Map<Long, Integer> expected = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            long key = i < 10 ? i - 5 : random.nextLong();
            map.put(key, i);
            expected.put(key, i);
        }
        map.put(-5, 4242);
        expected.put(-5L, 4242);

        assertThat(map.size()).isEqualTo(expected.size());
        expected.forEach((k, v) -> assertThat(map.get(k, -9)).isEqualTo(v));
        assertThat(map.get(123_456_789_123L, -9)).isEqualTo(-9);
    }

    @Test
    void refusesAVocabularyThatDoesNotMatchTheDataset() {
        assertThatThrownBy(() -> new CandidateEncoder(SPEC, PREP, Map.of("c", List.of("red"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("column c");
    }
}
