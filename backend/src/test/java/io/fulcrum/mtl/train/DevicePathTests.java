package io.fulcrum.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import io.fulcrum.mtl.Checkpoint;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.Predictions;
import io.fulcrum.mtl.TestModels;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path a GPU run takes, with the CPU flavour: the model is built on the device the run was given
 * (here {@code Device.cpu()}, passed explicitly as the worker passes a GPU), trains, checkpoints and
 * resumes onto that device, and every parameter stays on it throughout.
 */
class DevicePathTests {

    private static final MtlDataset TRAIN = TestModels.data(256, 2, 1);

    private static List<Device> devices(MtlModel model) {
        List<Device> devices = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            devices.add(p.getArray().getDevice());
        }
        return devices;
    }

    @Test
    void aModelTrainsCheckpointsAndResumesOnTheDeviceItWasGiven(@TempDir Path dir) {
        Device device = Device.cpu();
        TrainingConfig cfg =
                TrainingConfig.defaults().withEpochs(2).withBatchSize(64).withPatience(0);
        try (MtlModel model = MtlModel.create(
                TestModels.spec("ple", 2),
                PreprocessingState.identity(TestModels.spec("ple", 2).inputs()),
                3,
                device)) {
            assertThat(model.device()).isEqualTo(device);
            new MtlTrainer(cfg, null, null, (m, state) -> TrainingCheckpoint.save(m, state, dir))
                    .fit(model, TRAIN, null);

            assertThat(devices(model)).isNotEmpty().containsOnly(device);
            Predictions p = model.predictEncoded(TRAIN, 64);
            assertThat(p.values()).hasNumberOfRows(2);
        }
        TrainingCheckpoint.Restored restored = TrainingCheckpoint.load(dir, device);
        try (MtlModel resumed = restored.model()) {
            assertThat(resumed.device()).isEqualTo(device);
            assertThat(devices(resumed)).containsOnly(device);
            assertThat(restored.state().epochsDone()).isEqualTo(2);
        }
        Path saved = dir.resolve("model");
        try (MtlModel model = TestModels.model("mmoe", 2, 4)) {
            Checkpoint.save(model, saved, 1);
        }
        try (MtlModel loaded = Checkpoint.load(saved, device)) {
            assertThat(devices(loaded)).containsOnly(device);
        }
    }
}
