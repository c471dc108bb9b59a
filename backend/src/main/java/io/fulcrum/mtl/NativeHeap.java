package io.fulcrum.mtl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Settings of glibc's malloc for the tensors PyTorch allocates on the CPU.
 *
 * <p>PyTorch's CPU allocator hands every freed tensor straight back to malloc. With glibc's defaults a
 * buffer of a few MiB (an activation or gradient of a 1,024-sample batch) is mapped fresh from the
 * kernel on each allocation and unmapped when freed, or the arena top holding it is trimmed, so every
 * training step writes its activations to new pages that the kernel must fault in and zero. On the
 * 2-core development machine that was 4.2 s of system time in 26 s of PLE training, and step times
 * that moved between 70 and 160 ms from one fit to the next (docs/benchmarks.md). Fixed thresholds keep
 * buffers up to 32 MiB, and up to 128 MiB of free space at an arena's top, inside the process for the
 * next step; {@link #releaseFreeMemory()} gives the free space back after a training.
 *
 * <p>Applied once per process by the first model built; disabled with {@code -D}{@value
 * #ENABLED_PROPERTY}{@code =false}. A no-op where the C library is not glibc.
 */
public final class NativeHeap {

    public static final String ENABLED_PROPERTY = "fulcrum.mtl.native-heap-tuning";

    private static final int MMAP_THRESHOLD_BYTES = 32 << 20; // glibc's largest accepted value
    private static final int TRIM_THRESHOLD_BYTES = 128 << 20;

    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;

    private static Boolean tuned;

    private NativeHeap() {}

    /** Applies the settings once; true when they are in force in this process. */
    public static synchronized boolean tune() {
        if (tuned == null) {
            tuned = Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true")) && apply();
        }
        return tuned;
    }

    /**
     * Returns free heap memory to the kernel (malloc_trim), e.g. when a training has ended. Only where
     * the settings are in force: with glibc's defaults, malloc trims by itself.
     */
    public static synchronized void releaseFreeMemory() {
        if (Boolean.TRUE.equals(tuned)) {
            libc().getFunction("malloc_trim").invokeInt(new Object[] {0L});
        }
    }

    private static boolean apply() {
        if (!glibc()) {
            return false;
        }
        try {
            Function mallopt = libc().getFunction("mallopt");
            // mallopt answers 1 when it accepted the value; the mmap threshold first, since fixing either
            // value turns glibc's own adjustment of both off
            return mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES}) == 1
                    && mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES}) == 1;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** Linux with glibc: only glibc has gnu_get_libc_version, and musl's mallopt does nothing. */
    static boolean glibc() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            libc().getFunction("gnu_get_libc_version");
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    private static NativeLibrary libc() {
        return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
    }
}
