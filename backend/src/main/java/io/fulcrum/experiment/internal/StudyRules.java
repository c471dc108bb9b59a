package io.fulcrum.experiment.internal;

import io.fulcrum.experiment.ModelRequest;
import io.fulcrum.experiment.ResourceRequest;
import io.fulcrum.experiment.StudyManagement;
import io.fulcrum.experiment.StudyRequest;
import io.fulcrum.experiment.TrainingSettings;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.ParameterMatching;
import io.fulcrum.mtl.model.SpecException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The one place a study request is checked: its own rules (name, seeds, models, schedules, the
 * parameter budget, the number of runs) and, through {@link RunPlanner}'s checks, those of the runs it
 * asks for (task group and dataset, training, resources, each model). Every broken rule is reported
 * at once; a valid request comes back with its specs built (parameter-matched when asked) and the
 * single-task baseline's spec, ready for {@link StudyManagement} to plan and store.
 */
@Component
public class StudyRules {

    public static final String SINGLE = StudyManagement.SINGLE;
    private static final int MAX_MODELS = 20;
    private static final int MAX_SEEDS = 20;
    private static final int MAX_RUNS = 500;

    private final RunPlanner planner;

    StudyRules(RunPlanner planner) {
        this.planner = planner;
    }

    /** A study request that keeps every rule, with what planning its runs needs. */
    public record Valid(
            String name,
            RunPlanner.Context context,
            TrainingSettings training,
            ResourceRequest resources,
            int priority,
            List<Long> seeds,
            List<ModelRequest> models,
            List<ModelSpec> specs,
            List<RunPlanner.ScheduleChoice> schedules,
            ModelSpec baseline) {}

    /** The checked study, or an {@link InvalidInputException} with every violation. */
    public Valid check(StudyRequest request) {
        if (request == null) {
            throw new InvalidInputException(new FieldViolation("", "required", "a study is required"));
        }
        List<FieldViolation> v = new ArrayList<>();
        String name = checkName(request.name(), v);
        RunPlanner.Context context = planner.context(request.taskGroupId(), request.datasetId(), "", v);
        TrainingSettings training = planner.checkTraining(request.training(), "training", context, v);
        ResourceRequest resources = planner.checkResources(request.resources(), "resources", v);
        int priority = request.priority() == null ? 0 : request.priority();
        if (priority < -100 || priority > 100) {
            v.add(new FieldViolation("priority", "range", "must be between -100 and 100"));
        }
        List<Long> seeds = checkSeeds(request.seeds(), v);
        List<ModelSpec> specs = new ArrayList<>();
        List<ModelRequest> models = request.models() == null ? List.of() : request.models();
        if (models.isEmpty() || models.size() > MAX_MODELS) {
            v.add(new FieldViolation("models", "size", "must list 1 to " + MAX_MODELS + " models"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            ModelRequest m = models.get(i);
            specs.add(planner.checkModel(m, "models[" + i + "]", context, training, v));
            if (m != null && m.architecture() != null && !names.add(m.displayName())) {
                v.add(new FieldViolation(
                        "models[" + i + "].name",
                        "unique",
                        "two models are named '" + m.displayName() + "'; give them distinct names"));
            }
            if (m != null && SINGLE.equals(m.displayName())) {
                v.add(new FieldViolation(
                        "models[" + i + "]",
                        "not-baseline",
                        "the single-task baselines are added by the study itself; name this model otherwise"));
            }
        }
        checkParameterBudget(request, v);
        List<RunPlanner.ScheduleChoice> schedules = checkSchedules(request, context, v);
        for (int i = 0; i < models.size(); i++) {
            planner.checkBalancing(models.get(i), "models[" + i + "]", schedules, v);
        }
        int total = (models.size() * schedules.size() + 1) * seeds.size();
        if (total > MAX_RUNS) {
            v.add(new FieldViolation("models", "size", "the study would need " + total + " runs; at most " + MAX_RUNS));
        }
        if (!v.isEmpty()) {
            throw new InvalidInputException(v);
        }
        ModelSpec baseline = baselineSpec(context, models.get(0), training);
        if (Boolean.TRUE.equals(request.matchParameters())) {
            // the baselines keep their size: each task's network is what that task would get alone
            specs = matchParameters(specs, request.parameterBudget());
        }
        return new Valid(name, context, training, resources, priority, seeds, models, specs, schedules, baseline);
    }

    private static void checkParameterBudget(StudyRequest request, List<FieldViolation> v) {
        Long budget = request.parameterBudget();
        if (budget == null) {
            return;
        }
        if (!Boolean.TRUE.equals(request.matchParameters())) {
            v.add(new FieldViolation("parameterBudget", "requires", "needs \"matchParameters\": true"));
        } else if (budget < 1) {
            v.add(new FieldViolation("parameterBudget", "min", "must be at least 1"));
        }
    }

    /**
     * Every spec scaled to the budget, or to the largest of them without one; a budget no scaling of
     * some model reaches is refused.
     */
    private static List<ModelSpec> matchParameters(List<ModelSpec> specs, Long budget) {
        long target = budget != null
                ? budget
                : specs.stream().mapToLong(ParameterMatching::count).max().orElseThrow();
        List<ModelSpec> matched = new ArrayList<>();
        for (ModelSpec spec : specs) {
            try {
                matched.add(ParameterMatching.match(spec, target));
            } catch (SpecException e) {
                throw new InvalidInputException(new FieldViolation(
                        budget != null ? "parameterBudget" : "matchParameters",
                        "buildable",
                        String.join("; ", e.violations()).replaceFirst("^parameterBudget: ", "")));
            }
        }
        return matched;
    }

    /**
     * The baseline's spec: one independent network per task (architecture single), with the first
     * model's expert width as its bottom and the same tower. The same for every seed; each seed's run
     * trains it on the same data and seed as the models, with every task at weight 1.
     */
    private ModelSpec baselineSpec(RunPlanner.Context context, ModelRequest first, TrainingSettings training) {
        ModelSpec.Experts experts = first.experts() == null ? new ModelSpec.Experts(null, null, null) : first.experts();
        ModelRequest single = new ModelRequest(
                SINGLE,
                SINGLE,
                null,
                null,
                experts.units(),
                first.towerUnits(),
                null,
                null,
                first.activation(),
                first.dropout(),
                null,
                null,
                null,
                null);
        List<FieldViolation> v = new ArrayList<>();
        ModelSpec spec = planner.checkModel(single, "models[0]", context, training, v);
        if (!v.isEmpty()) {
            throw new InvalidInputException(v);
        }
        return spec;
    }

    private List<RunPlanner.ScheduleChoice> checkSchedules(
            StudyRequest request, RunPlanner.Context context, List<FieldViolation> v) {
        List<RunPlanner.ScheduleChoice> choices = new ArrayList<>();
        if (request.lossWeightScheduleIds() != null
                && !request.lossWeightScheduleIds().isEmpty()) {
            if (request.lossWeightScheduleId() != null) {
                v.add(new FieldViolation(
                        "lossWeightScheduleIds", "exclusive", "give lossWeightScheduleId or lossWeightScheduleIds"));
            }
            List<Long> ids = request.lossWeightScheduleIds();
            if (new HashSet<>(ids).size() != ids.size() || ids.size() > 10) {
                v.add(new FieldViolation("lossWeightScheduleIds", "size", "must list 1 to 10 distinct schedules"));
            }
            for (int i = 0; i < ids.size(); i++) {
                if (ids.get(i) == null) {
                    v.add(new FieldViolation("lossWeightScheduleIds[" + i + "]", "required", "must be given"));
                    continue;
                }
                choices.add(planner.checkSchedule(ids.get(i), "lossWeightScheduleIds[" + i + "]", context, v));
            }
        } else {
            choices.add(planner.checkSchedule(request.lossWeightScheduleId(), "lossWeightScheduleId", context, v));
        }
        return choices.stream().filter(java.util.Objects::nonNull).toList();
    }

    private static List<Long> checkSeeds(List<Long> given, List<FieldViolation> v) {
        List<Long> seeds = given == null || given.isEmpty() ? List.of(1L) : given;
        if (seeds.size() > MAX_SEEDS) {
            v.add(new FieldViolation("seeds", "size", "at most " + MAX_SEEDS + " seeds"));
        }
        // List.of(…).contains(null) throws, so nulls are looked for one by one
        if (seeds.stream().anyMatch(java.util.Objects::isNull) || new LinkedHashSet<>(seeds).size() != seeds.size()) {
            v.add(new FieldViolation("seeds", "distinct", "must be distinct numbers"));
            return List.of();
        }
        return seeds;
    }

    private String checkName(String name, List<FieldViolation> v) {
        if (name == null || name.isBlank()) {
            v.add(new FieldViolation("name", "required", "must not be blank"));
            return null;
        }
        String stripped = name.strip();
        if (stripped.length() > 100) {
            v.add(new FieldViolation("name", "length", "at most 100 characters"));
        }
        return stripped;
    }
}
