package io.fulcrum.mtl.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything needed to build a multi-task model: inputs, tasks, architecture and its sizes. Absent
 * fields take the paper's defaults (towers [256, 128, 64], single-layer experts, two levels, gates
 * without bias), so a JSON spec only names what it changes.
 */
public record ModelSpec(
        String architecture,
        Inputs inputs,
        List<TaskSpec> tasks,
        Experts experts,
        List<Integer> bottomUnits,
        List<Integer> towerUnits,
        Integer levels,
        Boolean gateBias,
        String activation,
        Double dropout,
        Integer sluiceSubspaces,
        // the later fields are left out of the JSON when unset, so that a spec written before they existed
        // keeps its text, and a run its configuration hash (finished baselines are still found and reused)
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean expertNorm,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double calibratorWeight) {

    public static final List<Integer> PAPER_TOWER = List.of(256, 128, 64);
    public static final List<String> ACTIVATIONS = List.of("relu", "gelu", "tanh", "leaky-relu");

    public ModelSpec {
        inputs = inputs == null ? new Inputs(List.of(), List.of()) : inputs;
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        experts = experts == null ? new Experts(null, null, null) : experts;
        bottomUnits = bottomUnits == null ? List.of(256) : List.copyOf(bottomUnits);
        towerUnits = towerUnits == null ? PAPER_TOWER : List.copyOf(towerUnits);
        levels = levels == null ? 2 : levels;
        gateBias = gateBias != null && gateBias;
        activation = activation == null ? "relu" : activation;
        dropout = dropout == null ? 0.0 : dropout;
        sluiceSubspaces = sluiceSubspaces == null ? 2 : sluiceSubspaces;
        expertNorm = Boolean.TRUE.equals(expertNorm) ? Boolean.TRUE : null;
    }

    /** Whether the expert models normalise their experts (HoME); {@code expertNorm} is true or unset. */
    @JsonIgnore
    public boolean normalizedExperts() {
        return expertNorm != null;
    }

    /** AITM's calibrator weight α, its default when unset. */
    @JsonIgnore
    public double calibratorWeightOrDefault() {
        return calibratorWeight == null ? DEFAULT_CALIBRATOR_WEIGHT : calibratorWeight;
    }

    /** AITM's α: the official code's weight of the calibrator that keeps a later funnel step no likelier than the one before. */
    public static final double DEFAULT_CALIBRATOR_WEIGHT = 0.6;

    /** A spec without HoME's expert normalisation and with AITM's default calibrator weight. */
    public ModelSpec(
            String architecture,
            Inputs inputs,
            List<TaskSpec> tasks,
            Experts experts,
            List<Integer> bottomUnits,
            List<Integer> towerUnits,
            Integer levels,
            Boolean gateBias,
            String activation,
            Double dropout,
            Integer sluiceSubspaces) {
        this(
                architecture,
                inputs,
                tasks,
                experts,
                bottomUnits,
                towerUnits,
                levels,
                gateBias,
                activation,
                dropout,
                sluiceSubspaces,
                null,
                null);
    }

    /** Dense and categorical input columns; each categorical column gets its own embedding table. */
    public record Inputs(List<String> dense, List<CategoricalFeature> categorical) {
        public Inputs {
            dense = dense == null ? List.of() : List.copyOf(dense);
            categorical = categorical == null ? List.of() : List.copyOf(categorical);
        }

        /** Width of x after embedding: the dense columns plus every embedding. */
        @JsonIgnore
        public int encodedWidth() {
            return dense.size()
                    + categorical.stream()
                            .mapToInt(CategoricalFeature::embeddingDim)
                            .sum();
        }
    }

    /** vocabularySize known values; one extra row (index 0) holds every out-of-vocabulary value. */
    public record CategoricalFeature(String name, int vocabularySize, int embeddingDim) {}

    /**
     * One task. {@code after} names the task whose positives are this task's sample space, a step of a
     * funnel (cvr after ctr), or is null; ESMM and AITM learn along that chain.
     */
    public record TaskSpec(
            String name,
            TaskType type,
            @JsonInclude(JsonInclude.Include.NON_NULL) String after) {
        public TaskSpec(String name, TaskType type) {
            this(name, type, null);
        }
    }

    /**
     * Expert sizes. MMoE and ML-MMoE use {@code shared} experts per level; CGC and PLE use
     * {@code shared} shared experts plus {@code perTask} experts per task at each level.
     */
    public record Experts(Integer shared, Integer perTask, List<Integer> units) {
        public Experts {
            shared = shared == null ? 2 : shared;
            perTask = perTask == null ? 2 : perTask;
            units = units == null ? List.of(256) : List.copyOf(units);
        }

        @JsonIgnore
        public int outputWidth() {
            return units.get(units.size() - 1);
        }
    }

    @JsonIgnore
    public Architecture kind() {
        return Architecture.byName(architecture).orElseThrow(() -> new SpecException(validate()));
    }

    @JsonIgnore
    public int taskCount() {
        return tasks.size();
    }

    @JsonIgnore
    public List<TaskType> taskTypes() {
        return tasks.stream().map(TaskSpec::type).toList();
    }

    @JsonIgnore
    public List<String> taskNames() {
        return tasks.stream().map(TaskSpec::name).toList();
    }

    public ModelSpec withArchitecture(String name) {
        return new ModelSpec(
                name,
                inputs,
                tasks,
                experts,
                bottomUnits,
                towerUnits,
                levels,
                gateBias,
                activation,
                dropout,
                sluiceSubspaces,
                expertNorm,
                calibratorWeight);
    }

    public ModelSpec withExperts(Experts newExperts) {
        return new ModelSpec(
                architecture,
                inputs,
                tasks,
                newExperts,
                bottomUnits,
                towerUnits,
                levels,
                gateBias,
                activation,
                dropout,
                sluiceSubspaces,
                expertNorm,
                calibratorWeight);
    }

    public ModelSpec withTasks(List<TaskSpec> newTasks) {
        return new ModelSpec(
                architecture,
                inputs,
                newTasks,
                experts,
                bottomUnits,
                towerUnits,
                levels,
                gateBias,
                activation,
                dropout,
                sluiceSubspaces,
                expertNorm,
                calibratorWeight);
    }

    /** Throws a {@link SpecException} listing every violation, or returns this spec. */
    public ModelSpec validated() {
        List<String> violations = validate();
        if (!violations.isEmpty()) {
            throw new SpecException(violations);
        }
        return this;
    }

    /** Every violation, each message starting with the field's path. Empty when the spec is valid. */
    public List<String> validate() {
        List<String> v = new ArrayList<>();
        Architecture arch =
                architecture == null ? null : Architecture.byName(architecture).orElse(null);
        if (architecture == null) {
            v.add("architecture: is required (one of " + String.join(", ", Architecture.names()) + ")");
        } else if (arch == null) {
            v.add("architecture: unknown '" + architecture + "' (one of " + String.join(", ", Architecture.names())
                    + ")");
        }
        validateInputs(v);
        validateTasks(v, arch);
        if (arch != null && arch.usesExperts()) {
            // AdaTT without shared experts is its AdaTT-sp form
            atLeast(v, "experts.shared", experts.shared(), arch == Architecture.ADATT ? 0 : 1);
            if (arch.usesTaskExperts()) {
                atLeast(v, "experts.perTask", experts.perTask(), 1);
            }
        }
        positiveList(v, "experts.units", experts.units());
        positiveList(v, "bottomUnits", bottomUnits);
        for (int i = 0; i < towerUnits.size(); i++) {
            atLeast(v, "towerUnits[" + i + "]", towerUnits.get(i), 1);
        }
        atLeast(v, "levels", levels, 1);
        if (!ACTIVATIONS.contains(activation)) {
            v.add("activation: unknown '" + activation + "' (one of " + String.join(", ", ACTIVATIONS) + ")");
        }
        if (!(dropout >= 0.0 && dropout < 1.0)) {
            v.add("dropout: must be in [0, 1), got " + dropout);
        }
        if (normalizedExperts() && arch != null && !arch.normalizesExperts()) {
            v.add("expertNorm: only mmoe, cgc and ple normalise their experts, not " + arch.cliName());
        }
        if (calibratorWeight != null && !(calibratorWeight >= 0 && Double.isFinite(calibratorWeight))) {
            v.add("calibratorWeight: must be a finite number >= 0, got " + calibratorWeight);
        }
        if (arch == Architecture.SLUICE) {
            atLeast(v, "sluiceSubspaces", sluiceSubspaces, 1);
            if (sluiceSubspaces >= 1 && !experts.units().isEmpty() && experts.outputWidth() % sluiceSubspaces != 0) {
                v.add("sluiceSubspaces: must divide experts.units' last width " + experts.outputWidth() + ", got "
                        + sluiceSubspaces);
            }
        }
        return v;
    }

    private void validateInputs(List<String> v) {
        if (inputs.dense().isEmpty() && inputs.categorical().isEmpty()) {
            v.add("inputs: at least one dense or categorical feature is required");
        }
        for (int i = 0; i < inputs.categorical().size(); i++) {
            CategoricalFeature c = inputs.categorical().get(i);
            String path = "inputs.categorical[" + i + "]";
            if (c.name() == null || c.name().isBlank()) {
                v.add(path + ".name: is required");
            }
            atLeast(v, path + ".vocabularySize", c.vocabularySize(), 1);
            atLeast(v, path + ".embeddingDim", c.embeddingDim(), 1);
        }
    }

    private void validateTasks(List<String> v, Architecture arch) {
        if (tasks.isEmpty()) {
            v.add("tasks: at least one task is required");
        } else if (arch != null && arch.multiTask() && tasks.size() < 2) {
            v.add("tasks: " + arch.cliName() + " needs at least 2 tasks, got " + tasks.size());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec t = tasks.get(i);
            if (t == null || t.name() == null || t.name().isBlank()) {
                v.add("tasks[" + i + "].name: is required");
            } else if (!seen.add(t.name())) {
                v.add("tasks[" + i + "].name: duplicate '" + t.name() + "'");
            }
            if (t != null && t.type() == null) {
                v.add("tasks[" + i + "].type: is required (BINARY or REGRESSION)");
            }
            if (t != null
                    && t.after() != null
                    && (t.after().equals(t.name()) || !taskNames().contains(t.after()))) {
                v.add("tasks[" + i + "].after: must name another task of the spec, got '" + t.after() + "'");
            }
        }
        if (v.isEmpty()) {
            v.addAll(funnelViolations());
        }
    }

    /** Why the tasks form no funnel that the architecture can learn along; empty when they do, or it needs none. */
    public List<String> funnelViolations() {
        Architecture arch =
                architecture == null ? null : Architecture.byName(architecture).orElse(null);
        List<String> v = new ArrayList<>();
        if (arch != null && arch.needsFunnel()) {
            validateFunnel(v, arch);
        }
        return v;
    }

    /**
     * ESMM multiplies probabilities along a funnel, so it needs at least one binary task that follows
     * another binary one; AITM transfers from each step to the next, so it needs every task after the
     * first to follow the one listed before it.
     */
    private void validateFunnel(List<String> v, Architecture arch) {
        boolean chained = false;
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec t = tasks.get(i);
            int parent = parentIndex(i);
            if (arch == Architecture.AITM && i > 0 && parent != i - 1) {
                v.add("tasks[" + i + "].after: aitm needs the tasks in funnel order, each after the one before it ('"
                        + tasks.get(i - 1).name() + "'), got " + (t.after() == null ? "none" : "'" + t.after() + "'"));
            }
            if (parent >= 0) {
                chained = true;
                if (t.type() != TaskType.BINARY || tasks.get(parent).type() != TaskType.BINARY) {
                    v.add("tasks[" + i + "]: " + arch.cliName() + " multiplies probabilities along the funnel, so '"
                            + t.name() + "' and '" + t.after() + "' must both be BINARY");
                }
            } else if (arch == Architecture.AITM && t.type() != TaskType.BINARY) {
                v.add("tasks[" + i + "].type: aitm's funnel steps are BINARY, got " + t.type());
            }
        }
        if (!chained) {
            v.add("tasks: " + arch.cliName() + " needs a funnel: a task whose sample space is another task's"
                    + " positives (cvr after ctr); none of " + taskNames() + " follows another");
        }
    }

    /** The index of the task that task {@code k} follows, or -1 when it follows none. */
    public int parentIndex(int k) {
        String after = tasks.get(k).after();
        return after == null ? -1 : taskNames().indexOf(after);
    }

    private static void positiveList(List<String> v, String path, List<Integer> units) {
        if (units.isEmpty()) {
            v.add(path + ": must name at least one layer width");
        }
        for (int i = 0; i < units.size(); i++) {
            atLeast(v, path + "[" + i + "]", units.get(i), 1);
        }
    }

    private static void atLeast(List<String> v, String path, Integer value, int min) {
        if (value == null || value < min) {
            v.add(path + ": must be >= " + min + ", got " + value);
        }
    }
}
