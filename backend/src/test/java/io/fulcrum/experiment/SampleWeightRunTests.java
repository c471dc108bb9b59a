package io.fulcrum.experiment;

import static io.fulcrum.experiment.ExperimentFixtures.SMALL_MMOE;
import static io.fulcrum.experiment.ExperimentFixtures.body;
import static io.fulcrum.experiment.ExperimentFixtures.inState;
import static io.fulcrum.experiment.ExperimentFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Runs on a FILE dataset with a WEIGHT column, with weights on and off, trained by the embedded worker. */
@FulcrumSpringTest
class SampleWeightRunTests {

    @Autowired
    MockMvcTester mvc;

    @TempDir
    Path tmp;

    ExperimentFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new ExperimentFixtures(mvc);
    }

    /** y1 binary, y2 regression over x1, x2; every fifth row weighs 4, the others 0.5 (and a few 0). */
    Path file() throws IOException {
        Random random = new Random(3);
        StringBuilder text = new StringBuilder("y1,y2,x1,x2,w\n");
        for (int i = 0; i < 1200; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            double signal = x1 - 0.5 * x2 + 0.7 * random.nextGaussian();
            String weight = i % 5 == 0 ? "4" : i % 17 == 0 ? "0" : "0.5";
            text.append(signal > 0 ? 1 : 0)
                    .append(',')
                    .append(String.format("%.5f,%.5f,%.5f,", signal * 0.3, x1, x2))
                    .append(weight)
                    .append('\n');
        }
        Path file = tmp.resolve("weighted.csv");
        Files.writeString(file, text);
        return file;
    }

    long dataset(Path file, String weightRole) {
        return fx.create("/api/datasets", """
                {"name": "%s", "kind": "FILE", "file": {"path": "%s"},
                 "columns": [{"name": "y1", "role": "LABEL"}, {"name": "y2", "role": "LABEL"},
                             {"name": "x1", "role": "DENSE"}, {"name": "x2", "role": "DENSE"},
                             {"name": "w", "role": "%s"}],
                 "split": {"by": "random", "seed": 7}}""".formatted(unique("weighted"), file, weightRole));
    }

    String runBody(long group, long dataset, String weights) {
        return """
                {"taskGroupId": %d, "datasetId": %d, "model": %s,
                 "training": {"epochs": 2, "batchSize": 128, "learningRate": 0.01, "seed": 4%s}}""".formatted(group, dataset, SMALL_MMOE, weights);
    }

    /** Queues a run and waits for it: one at a time, so that no other run shares the engine meanwhile. */
    String train(String body) {
        MvcTestResult created = fx.post("/api/runs", body);
        assertThat(created).hasStatus(HttpStatus.CREATED);
        long id = ((Number) JsonPath.read(body(created), "$.id")).longValue();
        String done = fx.awaitRun(id, Duration.ofSeconds(120), inState("SUCCEEDED", "FAILED"));
        assertThat(JsonPath.<String>read(done, "$.state")).as(done).isEqualTo("SUCCEEDED");
        return done;
    }

    static List<Double> testMetrics(String run) {
        return List.of(
                ((Number) JsonPath.read(run, "$.result.test.y1.value")).doubleValue(),
                ((Number) JsonPath.read(run, "$.result.test.y2.value")).doubleValue());
    }

    @Test
    void weightsOffTrainExactlyLikeTheSameDataWithoutAWeightColumnAndOnByDefaultChangeTheModel() throws IOException {
        Path file = file();
        long weighted = dataset(file, "WEIGHT");
        long plain = dataset(file, "IGNORED");
        long group = fx.taskGroup("""
                [{"name": "y1", "kind": "BINARY", "labelColumn": "y1"},
                 {"name": "y2", "kind": "REGRESSION", "labelColumn": "y2"}]""");

        String off = train(runBody(group, weighted, ", \"useSampleWeights\": false"));
        String without = train(runBody(group, plain, ""));
        String on = train(runBody(group, weighted, ""));

        assertThat(JsonPath.<Boolean>read(off, "$.training.useSampleWeights")).isFalse();
        assertThat(JsonPath.<Map<String, Object>>read(without, "$.training"))
                .as("nothing to weigh by")
                .doesNotContainKey("useSampleWeights");
        assertThat(JsonPath.<Boolean>read(on, "$.training.useSampleWeights"))
                .as("the default where the dataset has weights")
                .isTrue();
        assertThat(testMetrics(off)).isEqualTo(testMetrics(without));
        assertThat(testMetrics(on).get(0)).isNotEqualTo(testMetrics(off).get(0));
        assertThat(testMetrics(on).get(1)).isNotEqualTo(testMetrics(off).get(1));
    }

    @Test
    void refusesSampleWeightsOnADatasetWithoutAWeightColumn() {
        MvcTestResult refused =
                fx.post("/api/runs", runBody(fx.taskGroup(), fx.dataset(), ", \"useSampleWeights\": true"));

        assertThat(refused).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(refused).bodyJson().extractingPath("$.errors[0].field").isEqualTo("training.useSampleWeights");
        assertThat(refused).bodyJson().extractingPath("$.errors[0].rule").isEqualTo("has-weight-column");
    }
}
