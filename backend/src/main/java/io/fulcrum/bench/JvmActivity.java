package io.fulcrum.bench;

import io.fulcrum.system.Percentiles;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the JVM spent between two points of a benchmark: CPU of the whole process, time its JIT compilers
 * worked, and garbage collections. A latency tail can then be told apart from a JIT still compiling or
 * a burst of collections in the same window.
 */
record JvmActivity(long nanos, long cpuNanos, long jitMillis, long collections, long collectionMillis) {

    static JvmActivity now() {
        long collections = 0;
        long collectionMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, gc.getCollectionCount());
            collectionMillis += Math.max(0, gc.getCollectionTime());
        }
        var compilation = ManagementFactory.getCompilationMXBean();
        long jit = compilation != null && compilation.isCompilationTimeMonitoringSupported()
                ? compilation.getTotalCompilationTime()
                : -1;
        return new JvmActivity(System.nanoTime(), processCpuNanos(), jit, collections, collectionMillis);
    }

    /**
     * The activity since {@code before}: {@code cpuCores} (process CPU time over wall time; -1 where the
     * JVM does not report it), {@code jitMillis} (compiler threads' time; -1 where not reported),
     * {@code gcCollections} and {@code gcMillis} (for G1's young and mixed collections, their pauses).
     */
    Map<String, Object> since(JvmActivity before) {
        Map<String, Object> r = new LinkedHashMap<>();
        double seconds = (nanos - before.nanos) / 1e9;
        r.put(
                "cpuCores",
                cpuNanos < 0 || before.cpuNanos < 0
                        ? -1
                        : Percentiles.round((cpuNanos - before.cpuNanos) / 1e9 / seconds));
        r.put("jitMillis", jitMillis < 0 || before.jitMillis < 0 ? -1 : jitMillis - before.jitMillis);
        r.put("gcCollections", collections - before.collections);
        r.put("gcMillis", collectionMillis - before.collectionMillis);
        return r;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
