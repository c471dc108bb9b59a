package io.fulcrum.rollout.internal;

import io.fulcrum.registry.ModelRegistry;
import io.fulcrum.registry.ModelVersionView;
import io.fulcrum.rollout.AbExperimentRequest;
import io.fulcrum.rollout.AbVariant;
import io.fulcrum.rollout.AbVariantRequest;
import io.fulcrum.rollout.Analysis;
import io.fulcrum.rollout.AnalysisPlan;
import io.fulcrum.rollout.BucketHash;
import io.fulcrum.rollout.Correction;
import io.fulcrum.rollout.Guardrail;
import io.fulcrum.rollout.RampStep;
import io.fulcrum.rollout.RolloutMetric;
import io.fulcrum.rollout.ScoringSpec;
import io.fulcrum.rollout.ScoringValidator;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The rules of an experiment's configuration. Every broken rule is reported at once, each under the
 * JSON path the client wrote ({@code variants[1].allocationBps}) and a stable rule name.
 */
@Component
public class AbExperimentRules {

    public static final int MAX_NAME = 100;
    public static final int MAX_DESCRIPTION = 2000;
    public static final int MIN_VARIANTS = 2;
    public static final int MAX_VARIANTS = 10;
    public static final int MAX_RAMP_STEPS = 10;
    public static final int MAX_SALT = 64;
    public static final int MAX_REASON = 2000;
    public static final double MAX_ALPHA = 0.5;
    public static final long MIN_PLANNED_USERS = 10;

    private static final Pattern VARIANT_NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,39}$");
    private static final Pattern SALT = Pattern.compile("^[A-Za-z0-9_-]{1," + MAX_SALT + "}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A configuration that keeps every rule, normalised (defaults filled in) and ready to store. */
    public record Valid(
            String name,
            String description,
            AbExperimentStore.SurfaceRow surface,
            String salt,
            String targetMetric,
            List<Guardrail> guardrails,
            List<RampStep> rampPlan,
            List<AbVariant> variants,
            AnalysisPlan analysisPlan) {}

    private final AbExperimentStore store;
    private final ModelRegistry registry;

    AbExperimentRules(AbExperimentStore store, ModelRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** The checked configuration, or an {@link InvalidInputException} with every violation. */
    public Valid check(AbExperimentRequest request) {
        if (request == null) {
            throw new InvalidInputException(new FieldViolation("$", "required", "an experiment is required"));
        }
        List<FieldViolation> v = new ArrayList<>();
        String name = name(request.name(), v);
        String description =
                request.description() == null ? "" : request.description().strip();
        if (description.length() > MAX_DESCRIPTION) {
            v.add(new FieldViolation(
                    "description", "max-length", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
        AbExperimentStore.SurfaceRow surface = surface(request.surface(), v);
        String salt = salt(request.salt(), v);
        String target = targetMetric(request.targetMetric(), v);
        List<Guardrail> guardrails = guardrails(request.guardrails(), v);
        List<RampStep> rampPlan = rampPlan(request.rampPlan(), v);
        List<AbVariant> variants = variants(request.variants(), surface, v);
        AnalysisPlan analysisPlan = analysisPlan(request, !guardrails.isEmpty(), !rampPlan.isEmpty(), v);
        if (!v.isEmpty()) {
            throw new InvalidInputException(v);
        }
        return new Valid(name, description, surface, salt, target, guardrails, rampPlan, variants, analysisPlan);
    }

    /** The analysis settings with their defaults filled in. */
    public static AnalysisPlan analysisPlan(
            AbExperimentRequest request, boolean hasGuardrails, boolean hasRampPlan, List<FieldViolation> v) {
        String analysis = Analysis.defaultFor(hasGuardrails, hasRampPlan).wire();
        if (request.analysis() != null) {
            analysis = request.analysis().strip();
            if (Analysis.fromWire(analysis).isEmpty()) {
                v.add(new FieldViolation("analysis", "one-of", "must be one of [fixed, sequential]"));
            }
        }
        String correction = Correction.DEFAULT.wire();
        if (request.correction() != null) {
            correction = request.correction().strip();
            if (Correction.fromWire(correction).isEmpty()) {
                v.add(new FieldViolation(
                        "correction",
                        "one-of",
                        "must be one of "
                                + Arrays.stream(Correction.values())
                                        .map(Correction::wire)
                                        .toList()));
            }
        }
        String preExposure = AnalysisPlan.DEFAULT_PRE_EXPOSURE;
        if (request.preExposure() != null) {
            preExposure = request.preExposure().strip();
            try {
                Duration d = Duration.parse(preExposure);
                if (d.isNegative()) {
                    v.add(new FieldViolation("preExposure", "min", "must not be negative; P0D turns CUPED off"));
                } else if (d.compareTo(AnalysisPlan.MAX_PRE_EXPOSURE) > 0) {
                    v.add(new FieldViolation("preExposure", "max", "must be at most P90D"));
                }
            } catch (DateTimeParseException e) {
                v.add(new FieldViolation(
                        "preExposure", "format", "must be an ISO-8601 duration such as P14D or PT12H"));
            }
        }
        Long planned = request.plannedUsersPerVariant();
        if (planned != null && planned < MIN_PLANNED_USERS) {
            v.add(new FieldViolation(
                    "plannedUsersPerVariant", "min", "must be at least " + MIN_PLANNED_USERS + " users per variant"));
        }
        return new AnalysisPlan(analysis, correction, preExposure, planned);
    }

    /** A reason as stored: stripped, null when blank; at most 2,000 characters. */
    public static String reason(String reason, boolean required) {
        String value = reason == null || reason.isBlank() ? null : reason.strip();
        if (value == null && required) {
            throw new InvalidInputException(new FieldViolation("reason", "required", "must be given: say why"));
        }
        if (value != null && value.length() > MAX_REASON) {
            throw new InvalidInputException(
                    new FieldViolation("reason", "max-length", "must be at most " + MAX_REASON + " characters"));
        }
        return value;
    }

    /** A fresh random salt: 16 hex digits. */
    public static String randomSalt() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String name(String name, List<FieldViolation> v) {
        String value = name == null ? "" : name.strip();
        if (value.isEmpty()) {
            v.add(new FieldViolation("name", "required", "must not be blank"));
        } else if (value.length() > MAX_NAME) {
            v.add(new FieldViolation("name", "max-length", "must be at most " + MAX_NAME + " characters"));
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            v.add(new FieldViolation("name", "pattern", "must not contain control characters"));
        }
        return value;
    }

    private AbExperimentStore.SurfaceRow surface(String name, List<FieldViolation> v) {
        if (name == null || name.isBlank()) {
            v.add(new FieldViolation("surface", "required", "name the surface the experiment runs on"));
            return null;
        }
        Optional<AbExperimentStore.SurfaceRow> found = store.surface(name.strip());
        if (found.isEmpty()) {
            v.add(new FieldViolation("surface", "exists", "there is no surface named '" + name.strip() + "'"));
        }
        return found.orElse(null);
    }

    private static String salt(String salt, List<FieldViolation> v) {
        if (salt == null || salt.isEmpty()) {
            return randomSalt();
        }
        if (!SALT.matcher(salt).matches()) {
            v.add(new FieldViolation("salt", "pattern", "must be 1 to " + MAX_SALT + " of A-Z, a-z, 0-9, '_' and '-'"));
        }
        return salt;
    }

    private static String targetMetric(String metric, List<FieldViolation> v) {
        if (metric == null || metric.isBlank()) {
            v.add(new FieldViolation("targetMetric", "required", "name the metric the experiment tries to move"));
            return null;
        }
        Optional<RolloutMetric> known = RolloutMetric.fromWire(metric);
        if (known.isEmpty()) {
            v.add(new FieldViolation("targetMetric", "one-of", "must be one of " + targetMetrics()));
        } else if (known.get().kind() == RolloutMetric.Kind.LATENCY) {
            v.add(new FieldViolation(
                    "targetMetric",
                    "not-latency",
                    "latency can be a guardrail but not the target; use one of " + targetMetrics()));
        }
        return metric;
    }

    /** The wire names a target metric may have: every metric but latency. */
    public static List<String> targetMetrics() {
        return Arrays.stream(RolloutMetric.values())
                .filter(m -> m.kind() != RolloutMetric.Kind.LATENCY)
                .map(RolloutMetric::wire)
                .toList();
    }

    private static List<String> allMetrics() {
        return Arrays.stream(RolloutMetric.values()).map(RolloutMetric::wire).toList();
    }

    private static List<Guardrail> guardrails(List<Guardrail> guardrails, List<FieldViolation> v) {
        List<Guardrail> checked = new ArrayList<>();
        if (guardrails == null) {
            return checked;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < guardrails.size(); i++) {
            String at = "guardrails[" + i + "]";
            Guardrail g = guardrails.get(i);
            if (g == null) {
                v.add(new FieldViolation(at, "required", "must be an object"));
                continue;
            }
            Optional<RolloutMetric> metric = g.metric() == null ? Optional.empty() : g.rolloutMetric();
            if (g.metric() == null || g.metric().isBlank()) {
                v.add(new FieldViolation(at + ".metric", "required", "name the metric to guard"));
            } else if (metric.isEmpty()) {
                v.add(new FieldViolation(at + ".metric", "one-of", "must be one of " + allMetrics()));
            } else if (!seen.add(g.metric())) {
                v.add(new FieldViolation(at + ".metric", "unique", "guards the same metric as an earlier guardrail"));
            }
            if (metric.isPresent()) {
                boolean latency = metric.get().kind() == RolloutMetric.Kind.LATENCY;
                String needed = latency ? "maxMillis" : "maxRelativeDrop";
                String other = latency ? "maxRelativeDrop" : "maxMillis";
                Double bound = latency ? g.maxMillis() : g.maxRelativeDrop();
                if ((latency ? g.maxRelativeDrop() : g.maxMillis()) != null) {
                    v.add(new FieldViolation(
                            at + "." + other,
                            "not-allowed",
                            latency
                                    ? "a latency guardrail takes maxMillis, not maxRelativeDrop"
                                    : "a " + kindName(metric.get())
                                            + " guardrail takes maxRelativeDrop, not maxMillis"));
                }
                if (bound == null) {
                    v.add(new FieldViolation(at + "." + needed, "required", "must be given for " + g.metric()));
                } else if (latency && !(Double.isFinite(bound) && bound > 0)) {
                    v.add(new FieldViolation(at + ".maxMillis", "range", "must be a number of milliseconds above 0"));
                } else if (!latency && !(bound >= 0 && bound < 1)) {
                    v.add(new FieldViolation(
                            at + ".maxRelativeDrop", "range", "must be a fraction in [0, 1), e.g. 0.02 for 2 %"));
                }
            }
            double alpha = g.alpha() == null ? Guardrail.DEFAULT_ALPHA : g.alpha();
            if (!(alpha > 0 && alpha <= MAX_ALPHA)) {
                v.add(new FieldViolation(at + ".alpha", "range", "must be in (0, " + MAX_ALPHA + "]"));
            }
            checked.add(new Guardrail(g.metric(), g.maxRelativeDrop(), g.maxMillis(), alpha));
        }
        return checked;
    }

    private static String kindName(RolloutMetric metric) {
        return metric.kind() == RolloutMetric.Kind.RATE ? "rate" : "per-user";
    }

    private static List<RampStep> rampPlan(List<RampStep> plan, List<FieldViolation> v) {
        List<RampStep> checked = new ArrayList<>();
        if (plan == null) {
            return checked;
        }
        if (plan.size() > MAX_RAMP_STEPS) {
            v.add(new FieldViolation("rampPlan", "size", "must have at most " + MAX_RAMP_STEPS + " steps"));
        }
        Double previous = null;
        for (int i = 0; i < plan.size(); i++) {
            String at = "rampPlan[" + i + "]";
            RampStep step = plan.get(i);
            if (step == null) {
                v.add(new FieldViolation(at, "required", "must be an object"));
                continue;
            }
            Double percent = step.percent();
            if (percent == null) {
                v.add(new FieldViolation(at + ".percent", "required", "must be given"));
            } else if (!(percent > 0 && percent <= 100)) {
                v.add(new FieldViolation(at + ".percent", "range", "must be in (0, 100]"));
            } else if (previous != null && percent <= previous) {
                v.add(new FieldViolation(
                        at + ".percent", "increasing", "must be above the previous step's " + fmt(previous)));
            }
            if (percent != null) {
                previous = percent;
            }
            String minDuration = "PT0S";
            if (step.minDuration() != null && !step.minDuration().isBlank()) {
                try {
                    Duration d = Duration.parse(step.minDuration().strip());
                    if (d.isNegative()) {
                        v.add(new FieldViolation(at + ".minDuration", "min", "must not be negative"));
                    }
                    minDuration = d.toString();
                } catch (DateTimeParseException e) {
                    v.add(new FieldViolation(
                            at + ".minDuration", "format", "must be an ISO-8601 duration such as PT1H or P1DT12H"));
                }
            }
            checked.add(new RampStep(percent, minDuration));
        }
        return checked;
    }

    private static String fmt(double percent) {
        return percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent);
    }

    private List<AbVariant> variants(
            List<AbVariantRequest> variants, AbExperimentStore.SurfaceRow surface, List<FieldViolation> v) {
        List<AbVariant> checked = new ArrayList<>();
        if (variants == null || variants.size() < MIN_VARIANTS || variants.size() > MAX_VARIANTS) {
            v.add(new FieldViolation(
                    "variants", "size", "must list " + MIN_VARIANTS + " to " + MAX_VARIANTS + " variants"));
            if (variants == null) {
                return checked;
            }
        }
        Set<String> names = new HashSet<>();
        Map<Integer, Optional<ModelVersionView>> versions = new HashMap<>();
        int controls = 0;
        long sum = 0;
        for (int i = 0; i < variants.size(); i++) {
            String at = "variants[" + i + "]";
            AbVariantRequest variant = variants.get(i);
            if (variant == null) {
                v.add(new FieldViolation(at, "required", "must be an object"));
                continue;
            }
            String name = variant.name() == null ? "" : variant.name();
            if (name.isEmpty()) {
                v.add(new FieldViolation(at + ".name", "required", "must not be empty"));
            } else if (!VARIANT_NAME.matcher(name).matches()) {
                v.add(new FieldViolation(
                        at + ".name",
                        "pattern",
                        "must be 1 to 40 of a-z, 0-9, '_' and '-', starting with a letter or digit"));
            } else if (!names.add(name)) {
                v.add(new FieldViolation(at + ".name", "unique", "is the name of an earlier variant"));
            }
            boolean control = Boolean.TRUE.equals(variant.control());
            if (control) {
                controls++;
            }
            List<String> tasks = null;
            Integer version = variant.modelVersion();
            if (version == null) {
                v.add(new FieldViolation(at + ".modelVersion", "required", "must be a version of the surface's model"));
            } else if (version < 1) {
                v.add(new FieldViolation(at + ".modelVersion", "min", "must be at least 1"));
            } else if (surface != null) {
                Optional<ModelVersionView> found = versions.computeIfAbsent(version, n -> version(surface, n));
                if (found.isEmpty()) {
                    v.add(new FieldViolation(
                            at + ".modelVersion",
                            "exists",
                            "model '" + surface.modelName() + "' of surface '" + surface.name() + "' has no version "
                                    + version));
                } else {
                    tasks = found.get().summary().tasks();
                }
            }
            ScoringSpec scoring = variant.scoring();
            if (scoring == null && surface != null) {
                scoring = surface.scoring();
            }
            if (scoring != null && (tasks != null || variant.scoring() != null)) {
                v.addAll(ScoringValidator.check(at + ".scoring", scoring, tasks));
            }
            Integer allocation = variant.allocationBps();
            if (allocation == null) {
                v.add(new FieldViolation(at + ".allocationBps", "required", "must be given, in basis points"));
            } else if (allocation < 1 || allocation > BucketHash.BUCKETS) {
                v.add(new FieldViolation(at + ".allocationBps", "range", "must be 1 to " + BucketHash.BUCKETS));
            } else {
                sum += allocation;
            }
            checked.add(new AbVariant(
                    name, i, control, version == null ? 0 : version, scoring, allocation == null ? 0 : allocation));
        }
        if (controls != 1) {
            v.add(new FieldViolation(
                    "variants", "one-control", "exactly one variant must be the control; " + controls + " are"));
        }
        if (sum > BucketHash.BUCKETS) {
            v.add(new FieldViolation(
                    "variants",
                    "sum",
                    "allocations sum to " + sum + " basis points; at most " + BucketHash.BUCKETS
                            + " (the rest is held out)"));
        }
        return checked;
    }

    private Optional<ModelVersionView> version(AbExperimentStore.SurfaceRow surface, int number) {
        try {
            return Optional.of(registry.resolve(surface.modelName(), String.valueOf(number)));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }
}
