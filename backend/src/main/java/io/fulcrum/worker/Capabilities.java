package io.fulcrum.worker;

import ai.djl.engine.Engine;
import io.fulcrum.mtl.MtlModel;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** What this machine offers, as DJL's PyTorch engine and the JVM see it. */
record Capabilities(String host, int cpuCores, long memoryBytes, int gpuCount, List<String> gpuNames) {

    static Capabilities detect() {
        int gpus = Engine.getEngine(MtlModel.ENGINE).getGpuCount();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            names.add("cuda:" + i);
        }
        long memory =
                ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                        ? os.getTotalMemorySize()
                        : Runtime.getRuntime().maxMemory();
        return new Capabilities(hostName(), Runtime.getRuntime().availableProcessors(), memory, gpus, names);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
