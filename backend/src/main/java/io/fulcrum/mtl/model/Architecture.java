package io.fulcrum.mtl.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The ten architectures of the PLE paper (brief §2), by the name used on the CLI and in JSON. */
public enum Architecture {
    SINGLE("single", false),
    SHARED_BOTTOM("shared-bottom", true),
    ASYMMETRIC("asymmetric", true),
    CUSTOMIZED("customized", true),
    CROSS_STITCH("cross-stitch", true),
    SLUICE("sluice", true),
    MMOE("mmoe", true),
    ML_MMOE("ml-mmoe", true),
    CGC("cgc", true),
    PLE("ple", true);

    private final String cliName;
    private final boolean multiTask;

    Architecture(String cliName, boolean multiTask) {
        this.cliName = cliName;
        this.multiTask = multiTask;
    }

    public String cliName() {
        return cliName;
    }

    /** Multi-task architectures need at least two tasks; the single-task baseline accepts any number. */
    public boolean multiTask() {
        return multiTask;
    }

    public boolean usesExperts() {
        return this == MMOE || this == ML_MMOE || this == CGC || this == PLE;
    }

    public boolean usesTaskExperts() {
        return this == CGC || this == PLE;
    }

    public static Optional<Architecture> byName(String name) {
        return Arrays.stream(values()).filter(a -> a.cliName.equals(name)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Architecture::cliName).toList();
    }
}
