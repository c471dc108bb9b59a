package io.fulcrum.worker;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import io.fulcrum.mtl.MtlModel;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What this machine offers, as DJL's PyTorch engine and the JVM see it.
 *
 * @param engine the engine, its version and its native flavour: "PyTorch 2.5.1 (cpu)"
 * @param warning null, or why this worker trains on the CPU although it expected GPUs
 */
record Capabilities(
        String host,
        int cpuCores,
        long memoryBytes,
        int gpuCount,
        List<String> gpuNames,
        String engine,
        String warning) {

    /** @param gpuExpected whether this worker was told, or its container says, that it has GPUs */
    static Capabilities detect(boolean gpuExpected) {
        Engine pytorch = Engine.getEngine(MtlModel.ENGINE);
        int gpus = pytorch.getGpuCount();
        String engine = pytorch.getEngineName() + " " + pytorch.getVersion() + " ("
                + (pytorch.hasCapability(StandardCapabilities.CUDA) ? "cuda" : "cpu") + ")";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            names.add("cuda:" + i);
        }
        long memory =
                ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                        ? os.getTotalMemorySize()
                        : Runtime.getRuntime().maxMemory();
        return new Capabilities(
                hostName(),
                Runtime.getRuntime().availableProcessors(),
                memory,
                gpus,
                names,
                engine,
                fallbackWarning(gpuExpected, gpus, engine));
    }

    /** The warning of a worker that expected GPUs and got none, or null. */
    static String fallbackWarning(boolean gpuExpected, int gpus, String engine) {
        if (!gpuExpected || gpus > 0) {
            return null;
        }
        return "GPUs were expected, but " + engine + " sees none: this worker trains on the CPU and claims no run"
                + " that asks for a GPU (a CPU build of PyTorch, or no GPU passed to the container?)";
    }

    /**
     * Whether GPUs are expected: {@code fulcrum.worker.expect-gpu} when set, otherwise whether the
     * container runtime passed GPUs in (NVIDIA_VISIBLE_DEVICES names devices).
     */
    static boolean gpuExpected(Boolean configured, String nvidiaVisibleDevices) {
        if (configured != null) {
            return configured;
        }
        String devices = nvidiaVisibleDevices == null ? "" : nvidiaVisibleDevices.strip();
        return !devices.isEmpty() && !devices.equals("void") && !devices.equals("none");
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
