package io.fulcrum.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.data.SyntheticGenerator;
import io.fulcrum.mtl.model.Architecture;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.TaskType;
import io.fulcrum.mtl.train.GradientBalancing;
import io.fulcrum.mtl.train.MtlTrainer;
import io.fulcrum.mtl.train.TrainingConfig;
import io.fulcrum.mtl.train.TrainingProgress;
import io.fulcrum.system.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code bench train}: training and inference throughput of each architecture on the benchmark spec
 * (synthetic d = 512, 2 regression tasks, single-layer experts of 256, MMoE with 8 experts, CGC/PLE with
 * 2 shared + 2 task experts per level, PLE 2 levels, towers [256, 128, 64], Adam), next to what one
 * 2048×2048 matrix product reaches through the same engine.
 */
final class BenchTrain {

    static final int DIMENSION = 512;

    @JsonPropertyOrder({"matmulGflops", "threads", "batch", "device", "engine", "results"})
    record Report(double matmulGflops, int threads, int batch, String device, String engine, List<Result> results) {}

    @JsonPropertyOrder({
        "model",
        "params",
        "trainSamplesPerSec",
        "stepMsP50",
        "stepMsP99",
        "inferSamplesPerSec",
        "inferColdSamplesPerSec",
        "forwardMsP50",
        "flopRatio",
        "achievedGflops",
        "peakRssMb"
    })
    record Result(
            String model,
            long params,
            double trainSamplesPerSec,
            double stepMsP50,
            double stepMsP99,
            double inferSamplesPerSec,
            double inferColdSamplesPerSec,
            double forwardMsP50,
            double flopRatio,
            double achievedGflops,
            double peakRssMb) {

        Result named(String name) {
            return new Result(
                    name,
                    params,
                    trainSamplesPerSec,
                    stepMsP50,
                    stepMsP99,
                    inferSamplesPerSec,
                    inferColdSamplesPerSec,
                    forwardMsP50,
                    flopRatio,
                    achievedGflops,
                    peakRssMb);
        }
    }

    private final PrintStream out;
    private final PrintStream err;

    BenchTrain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        CliArgs a = new CliArgs(args, Set.of("models", "batch", "steps", "warmup", "format", "threads", "device"));
        Device device = device(a.string("device", "cpu"));
        List<String> defaults = new ArrayList<>(ModelName.all());
        defaults.addAll(ModelName.balanced());
        List<String> models = a.list("models", String.join(",", defaults));
        ModelName.check(models);
        int batch = a.integer("batch", 1024, 1);
        int steps = a.integer("steps", 20, 2);
        int warmup = a.integer("warmup", 5, 0);
        String format = a.format();
        int threads = a.integer("threads", 0, 0);
        if (threads > 0) {
            // on a machine shared with other work, fewer intra-op threads than cores avoids barrier stalls
            Engine.getEngine(MtlModel.ENGINE);
            JniUtils.setNumThreads(threads);
        }

        SyntheticGenerator generator = new SyntheticGenerator(SyntheticGenerator.Settings.paper(0.5, DIMENSION, 1));
        MtlDataset data = generator.generate(0, batch * (steps + warmup)).data();
        MtlDataset funnel = funnel(data);
        double matmul = matmulGflops(device);
        err.printf("matmul 2048x2048: %.1f GFLOP/s on %d threads%n", matmul, JniUtils.getNumThreads());
        List<Result> results = new ArrayList<>();
        for (String name : models) {
            ModelSpec spec = spec(name, generator);
            boolean funnelModel = spec.kind().needsFunnel();
            GradientBalancing balancing = ModelName.parse(name).orElseThrow().balancing();
            Result r = bench(spec, funnelModel ? funnel : data, batch, steps, warmup, device, balancing);
            if (!name.equals(spec.architecture())) {
                r = r.named(name);
            }
            err.printf("%s: %.0f samples/s, %.1f GFLOP/s%n", name, r.trainSamplesPerSec(), r.achievedGflops());
            results.add(r);
        }
        Engine engine = Engine.getEngine(MtlModel.ENGINE);
        Report report = new Report(
                round(matmul),
                JniUtils.getNumThreads(),
                batch,
                device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu",
                engine.getEngineName() + " " + engine.getVersion(),
                results);
        if (format.equals("json")) {
            out.println(Json.MAPPER.writeValueAsString(report));
        } else {
            printTable(report);
        }
        return 0;
    }

    static ModelSpec spec(String name, SyntheticGenerator generator) {
        ModelName model = ModelName.parse(name).orElseThrow();
        String architecture = model.architecture().cliName();
        int experts = architecture.equals("mmoe") || architecture.equals("ml-mmoe") ? 8 : 2;
        boolean funnel =
                Architecture.byName(architecture).map(Architecture::needsFunnel).orElse(false);
        // ESMM and AITM learn along a funnel: y1 > 0 is the first step, y2 > 0 among those the second
        List<ModelSpec.TaskSpec> tasks = funnel
                ? List.of(
                        new ModelSpec.TaskSpec("y1", TaskType.BINARY),
                        new ModelSpec.TaskSpec("y2", TaskType.BINARY, "y1"))
                : SyntheticGenerator.tasks();
        return new ModelSpec(
                architecture,
                generator.inputs(),
                tasks,
                new ModelSpec.Experts(experts, 2, List.of(256)),
                List.of(256),
                ModelSpec.PAPER_TOWER,
                2,
                false,
                "relu",
                0.0,
                2,
                model.expertNorm(),
                null);
    }

    /** The benchmark's rows as a two-step funnel: step 1 where y1 > 0, step 2 where also y2 > 0, in step 1's space. */
    static MtlDataset funnel(MtlDataset data) {
        int n = data.size();
        float[] labels = new float[n * 2];
        float[] mask = new float[n * 2];
        for (int i = 0; i < n; i++) {
            boolean first = data.label(i, 0) > 0;
            labels[i * 2] = first ? 1f : 0f;
            mask[i * 2] = 1f;
            labels[i * 2 + 1] = first && data.label(i, 1) > 0 ? 1f : 0f;
            mask[i * 2 + 1] = first ? 1f : 0f;
        }
        return new MtlDataset(
                n, data.denseWidth(), data.dense(), data.categoricalWidth(), data.categorical(), 2, labels, mask);
    }

    /** {@code cpu}, {@code gpu} (GPU 0) or {@code gpu:N}; a GPU the engine does not see is refused. */
    static Device device(String name) {
        String v = name.strip();
        if (v.equals("cpu")) {
            return Device.cpu();
        }
        if (v.equals("gpu") || v.matches("gpu:\\d+")) {
            int index = v.equals("gpu") ? 0 : Integer.parseInt(v.substring(4));
            int gpus = Engine.getEngine(MtlModel.ENGINE).getGpuCount();
            if (index >= gpus) {
                throw new IllegalArgumentException("--device " + v + ": the engine ("
                        + Engine.getEngine(MtlModel.ENGINE).getVersion() + ") sees " + gpus
                        + " GPU(s); a CUDA build of PyTorch and a visible GPU are needed");
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException("--device: cpu, gpu or gpu:N, got '" + name + "'");
    }

    private Result bench(
            ModelSpec spec,
            MtlDataset data,
            int batch,
            int steps,
            int warmup,
            Device device,
            GradientBalancing balancing) {
        resetPeakRss();
        try (MtlModel model = MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), 1, device)) {
            List<Double> stepMs = new ArrayList<>();
            TrainingConfig config = TrainingConfig.defaults()
                    .withBatchSize(batch)
                    .withEpochs(1)
                    .withPatience(0)
                    .withBalancing(balancing);
            new MtlTrainer(
                            config,
                            p -> {
                                if (p.kind() == TrainingProgress.Kind.STEP && p.step() > warmup) {
                                    stepMs.add(batch / p.samplesPerSecond() * 1000);
                                }
                            },
                            null)
                    .fit(model, data, null);
            double[] ms =
                    stepMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double total = Arrays.stream(ms).sum();
            double trainPerSec = ms.length * batch / (total / 1000);
            // like training's warm-up steps, the first inference pass is reported apart: it pays for the
            // inference path's first use (0.6-0.75 of a warm pass's rate on the 2-core machine)
            long start = System.nanoTime();
            model.predictEncoded(data, batch);
            double coldPerSec = data.size() / ((System.nanoTime() - start) / 1e9);
            int passes = 3;
            start = System.nanoTime();
            for (int pass = 0; pass < passes; pass++) {
                model.predictEncoded(data, batch);
            }
            double inferPerSec = passes * data.size() / ((System.nanoTime() - start) / 1e9);
            double forwardMs = forwardMsP50(model, data, batch);
            double flopsPerSample = trainingFlopsPerSample(model);
            return new Result(
                    spec.architecture(),
                    model.parameterCount(),
                    round(trainPerSec),
                    round(percentile(ms, 0.5)),
                    round(percentile(ms, 0.99)),
                    round(inferPerSec),
                    round(coldPerSec),
                    round(forwardMs),
                    round(flopsPerSample / forwardFlopsPerSample(model)),
                    round(trainPerSec * flopsPerSample / 1e9),
                    round(peakRssMb()));
        }
    }

    /**
     * The forward pass alone on one batch, as a serving copy runs it: one inference session kept for
     * every pass (re-laid-out weights made once), each batch with its own manager and scope, inputs and
     * outputs copied, no gathering of rows. Beside the training step's time it says how far inference
     * could get if everything around the forward pass cost nothing.
     */
    static double forwardMsP50(MtlModel model, MtlDataset data, int batch) {
        int rows = Math.min(batch, data.size());
        float[] dense = java.util.Arrays.copyOf(data.dense(), rows * data.denseWidth());
        long[] categorical = java.util.Arrays.copyOf(data.categorical(), rows * data.categoricalWidth());
        double[] ms = new double[12];
        try (MtlModel.Inference inference = model.inference()) {
            for (int i = -3; i < ms.length; i++) {
                long start = System.nanoTime();
                try (NDManager batchManager = model.manager().newSubManager();
                        NDManager scope = model.openScope(batchManager, List.of())) {
                    ai.djl.ndarray.NDList inputs = model.inputs(batchManager, dense, categorical, rows);
                    for (NDArray out : inference.forward(inputs).outputs()) {
                        out.toFloatArray();
                    }
                }
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        Arrays.sort(ms);
        return percentile(ms, 0.5);
    }

    /**
     * Matrix-product FLOPs of one training sample: a weight costs 2 FLOPs forward and 2 for its gradient,
     * plus 2 for the gradient of its input unless that input is x itself (nothing upstream needs it).
     * Biases, activations, softmax and mixing are not counted.
     */
    static double trainingFlopsPerSample(MtlModel model) {
        double flops = 0;
        for (Parameter p : model.parameters()) {
            if (p.getType() != Parameter.Type.WEIGHT) {
                continue;
            }
            Shape shape = p.getArray().getShape();
            boolean readsX = shape.get(shape.dimension() - 2) == DIMENSION;
            flops += (readsX ? 4.0 : 6.0) * shape.size();
        }
        return flops;
    }

    /** Matrix-product FLOPs of one sample's forward pass: 2 per weight. */
    static double forwardFlopsPerSample(MtlModel model) {
        double flops = 0;
        for (Parameter p : model.parameters()) {
            if (p.getType() == Parameter.Type.WEIGHT) {
                flops += 2.0 * p.getArray().getShape().size();
            }
        }
        return flops;
    }

    static double matmulGflops(Device device) {
        try (NDManager m = NDManager.newBaseManager(device, MtlModel.ENGINE)) {
            NDArray a = m.randomNormal(new Shape(2048, 2048));
            NDArray b = m.randomNormal(new Shape(2048, 2048));
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            double best = 0;
            for (int round = 0; round < 3; round++) {
                int reps = 5;
                long start = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    NDArray c = a.matMul(b);
                    c.getFloat(0, 0); // wait for the product, not only its launch
                    c.close();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                best = Math.max(best, reps * 2.0 * 2048 * 2048 * 2048 / seconds / 1e9);
            }
            return best;
        }
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Linux resets the peak-RSS mark (VmHWM) when "5" is written to clear_refs; elsewhere it stays cumulative. */
    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // the peak then covers everything before this model too; still an upper bound
        }
    }

    private static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0);
    }

    private void printTable(Report r) {
        out.printf(
                "matmul 2048x2048: %.1f GFLOP/s, threads %d, batch %d, %s on %s%n%n",
                r.matmulGflops(), r.threads(), r.batch(), r.engine(), r.device());
        out.printf(
                "%-14s %10s %12s %9s %9s %12s %7s %11s %7s %7s %7s %8s %7s %9s%n",
                "model",
                "params",
                "train smp/s",
                "p50 ms",
                "p99 ms",
                "infer smp/s",
                "×train",
                "cold smp/s",
                "fwd ms",
                "×fwd",
                "FLOP×",
                "GFLOP/s",
                "% mm",
                "RSS MB");
        for (Result x : r.results()) {
            out.printf(
                    "%-14s %10d %12.0f %9.1f %9.1f %12.0f %7.2f %11.0f %7.1f %7.2f %7.2f %8.1f %6.0f%% %9.0f%n",
                    x.model(),
                    x.params(),
                    x.trainSamplesPerSec(),
                    x.stepMsP50(),
                    x.stepMsP99(),
                    x.inferSamplesPerSec(),
                    x.inferSamplesPerSec() / x.trainSamplesPerSec(),
                    x.inferColdSamplesPerSec(),
                    x.forwardMsP50(),
                    x.stepMsP50() / x.forwardMsP50(),
                    x.flopRatio(),
                    x.achievedGflops(),
                    100 * x.achievedGflops() / r.matmulGflops(),
                    x.peakRssMb());
        }
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
