package io.fulcrum.mtl.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The ten architectures of the PLE paper (brief §2) and four later ones (methods brief §1-4), by the
 * name used on the CLI and in JSON.
 */
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
    PLE("ple", true),
    ESMM("esmm", true),
    AITM("aitm", true),
    STEM("stem", true),
    ADATT("adatt", true);

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
        return this == MMOE || this == ML_MMOE || this == CGC || this == PLE || this == STEM || this == ADATT;
    }

    public boolean usesTaskExperts() {
        return this == CGC || this == PLE || this == STEM || this == ADATT;
    }

    /** Whether its experts can take HoME's expert normalisation and Swish ({@code expertNorm}). */
    public boolean normalizesExperts() {
        return this == MMOE || this == CGC || this == PLE;
    }

    /** Whether it learns along a funnel of tasks, each in the sample space of the one it follows. */
    public boolean needsFunnel() {
        return this == ESMM || this == AITM;
    }

    public static Optional<Architecture> byName(String name) {
        return Arrays.stream(values()).filter(a -> a.cliName.equals(name)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Architecture::cliName).toList();
    }
}
