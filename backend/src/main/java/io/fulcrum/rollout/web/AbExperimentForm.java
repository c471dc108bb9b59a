package io.fulcrum.rollout.web;

import io.fulcrum.rollout.AbExperimentRequest;
import io.fulcrum.rollout.AbExperimentView;
import io.fulcrum.rollout.AbVariant;
import io.fulcrum.rollout.AbVariantRequest;
import io.fulcrum.rollout.Guardrail;
import io.fulcrum.rollout.RampStep;
import io.fulcrum.system.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the experiment form binds to: fixed numbers of variant and guardrail rows (empty ones are
 * ignored), the control chosen by a radio button, and the ramp plan as {@code percent@duration} text;
 * converted to the same request the REST API takes.
 */
public class AbExperimentForm {

    static final int VARIANT_ROWS = 4;
    static final int GUARDRAIL_ROWS = 3;

    private static final Pattern VARIANT_FIELD = Pattern.compile("^variants\\[(\\d+)](.*)$");
    private static final Pattern GUARDRAIL_FIELD = Pattern.compile("^guardrails\\[(\\d+)](.*)$");

    private String name;
    private String surface;
    private String description;
    private String salt;
    private String targetMetric = "watch_time_per_user";
    private String rampPlan = "5@PT1H, 20@PT6H, 50@PT12H, 100";
    private Integer controlRow = 0;
    private List<AbVariantForm> variants = new ArrayList<>();
    private List<GuardrailForm> guardrails = new ArrayList<>();
    private String analysis = "";
    private String correction = "holm";
    private String preExposure = "P14D";
    private String plannedUsersPerVariant;

    static AbExperimentForm blank() {
        AbExperimentForm form = new AbExperimentForm();
        form.pad();
        form.variants.get(0).setName("control");
        form.variants.get(0).setAllocationBps(500);
        form.variants.get(1).setName("treatment");
        form.variants.get(1).setAllocationBps(500);
        return form;
    }

    /** The form of a stored experiment, for editing a draft. */
    static AbExperimentForm of(AbExperimentView e) {
        AbExperimentForm form = new AbExperimentForm();
        form.name = e.name();
        form.surface = e.surface();
        form.description = e.description();
        form.salt = e.salt();
        form.targetMetric = e.targetMetric();
        form.rampPlan = e.rampPlan().stream()
                .map(s -> percent(s.percent()) + "@" + s.minDuration())
                .collect(Collectors.joining(", "));
        for (AbVariant v : e.variants()) {
            form.variants.add(AbVariantForm.of(v));
            if (v.control()) {
                form.controlRow = v.position();
            }
        }
        for (Guardrail g : e.guardrails()) {
            form.guardrails.add(GuardrailForm.of(g));
        }
        form.analysis = e.analysis();
        form.correction = e.correction();
        form.preExposure = e.preExposure();
        form.plannedUsersPerVariant = e.plannedUsersPerVariant() == null
                ? null
                : e.plannedUsersPerVariant().toString();
        form.pad();
        return form;
    }

    /** Always at least the fixed number of rows to fill in. */
    void pad() {
        while (variants.size() < VARIANT_ROWS) {
            variants.add(new AbVariantForm());
        }
        while (guardrails.size() < GUARDRAIL_ROWS) {
            guardrails.add(new GuardrailForm());
        }
    }

    List<Integer> variantRows() {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            if (variants.get(i) != null && !variants.get(i).isEmpty()) {
                rows.add(i);
            }
        }
        return rows;
    }

    List<Integer> guardrailRows() {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < guardrails.size(); i++) {
            if (guardrails.get(i) != null && !guardrails.get(i).isEmpty()) {
                rows.add(i);
            }
        }
        return rows;
    }

    /** The API request; text that does not parse is added to {@code violations} under the form's field names. */
    AbExperimentRequest toRequest(List<FieldViolation> violations) {
        List<AbVariantRequest> variantRequests = new ArrayList<>();
        for (int row : variantRows()) {
            variantRequests.add(variants.get(row).toRequest(row, controlRow != null && controlRow == row, violations));
        }
        List<Guardrail> guardrailRequests = guardrailRows().stream()
                .map(row -> guardrails.get(row).toGuardrail())
                .toList();
        return new AbExperimentRequest(
                name,
                surface,
                description,
                salt == null || salt.isBlank() ? null : salt.strip(),
                targetMetric,
                guardrailRequests,
                rampSteps(violations),
                variantRequests,
                analysis == null || analysis.isBlank() ? null : analysis,
                correction == null || correction.isBlank() ? null : correction,
                preExposure == null || preExposure.isBlank() ? null : preExposure,
                plannedUsers(violations));
    }

    private Long plannedUsers(List<FieldViolation> violations) {
        if (plannedUsersPerVariant == null || plannedUsersPerVariant.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(plannedUsersPerVariant.strip().replace(",", ""));
        } catch (NumberFormatException e) {
            violations.add(new FieldViolation("plannedUsersPerVariant", "format", "must be a whole number of users"));
            return null;
        }
    }

    /** {@code 5@PT1H, 20@PT6H, 100}: a step without a duration lasts at least nothing. */
    private List<RampStep> rampSteps(List<FieldViolation> violations) {
        List<RampStep> steps = new ArrayList<>();
        if (rampPlan == null || rampPlan.isBlank()) {
            return steps;
        }
        for (String part : rampPlan.split(",")) {
            String[] pair = part.strip().split("@", 2);
            try {
                Double percent = Double.valueOf(pair[0].strip());
                steps.add(new RampStep(percent, pair.length == 2 ? pair[1].strip() : null));
            } catch (NumberFormatException e) {
                violations.add(new FieldViolation(
                        "rampPlan", "format", "write percent@duration steps, e.g. 5@PT1H, 20@PT6H, 100"));
                return steps;
            }
        }
        return steps;
    }

    /**
     * The API names fields of the request; the form has its own: {@code variants[i]} and {@code
     * guardrails[i]} count filled rows only, scoring is flat, the ramp plan is one text field.
     */
    String formField(String apiField) {
        Matcher v = VARIANT_FIELD.matcher(apiField);
        if (v.matches()) {
            List<Integer> rows = variantRows();
            int index = Integer.parseInt(v.group(1));
            if (index >= rows.size()) {
                return "variants";
            }
            String row = "variants[" + rows.get(index) + "].";
            String rest = v.group(2);
            if (rest.startsWith(".scoring.exponents")) {
                return row + "exponents";
            } else if (rest.startsWith(".scoring.lengthTransform.center")) {
                return row + "lengthCenter";
            } else if (rest.startsWith(".scoring.lengthTransform.scale")) {
                return row + "lengthScale";
            } else if (rest.startsWith(".scoring")) {
                return row + "lengthType";
            } else if (rest.startsWith(".modelVersion")) {
                return row + "modelVersion";
            } else if (rest.startsWith(".allocationBps")) {
                return row + "allocationBps";
            }
            return row + "name";
        }
        Matcher g = GUARDRAIL_FIELD.matcher(apiField);
        if (g.matches()) {
            List<Integer> rows = guardrailRows();
            int index = Integer.parseInt(g.group(1));
            if (index >= rows.size()) {
                return null;
            }
            String row = "guardrails[" + rows.get(index) + "].";
            String rest = g.group(2);
            if (rest.startsWith(".maxRelativeDrop") || rest.startsWith(".maxMillis")) {
                return row + "threshold";
            } else if (rest.startsWith(".alpha")) {
                return row + "alpha";
            }
            return row + "metric";
        }
        if (apiField.startsWith("rampPlan")) {
            return "rampPlan";
        }
        return apiField;
    }

    private static String percent(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getSurface() {
        return surface;
    }

    public void setSurface(String surface) {
        this.surface = surface;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getSalt() {
        return salt;
    }

    public void setSalt(String salt) {
        this.salt = salt;
    }

    public String getTargetMetric() {
        return targetMetric;
    }

    public void setTargetMetric(String targetMetric) {
        this.targetMetric = targetMetric;
    }

    public String getRampPlan() {
        return rampPlan;
    }

    public void setRampPlan(String rampPlan) {
        this.rampPlan = rampPlan;
    }

    public String getAnalysis() {
        return analysis;
    }

    public void setAnalysis(String analysis) {
        this.analysis = analysis;
    }

    public String getCorrection() {
        return correction;
    }

    public void setCorrection(String correction) {
        this.correction = correction;
    }

    public String getPreExposure() {
        return preExposure;
    }

    public void setPreExposure(String preExposure) {
        this.preExposure = preExposure;
    }

    public String getPlannedUsersPerVariant() {
        return plannedUsersPerVariant;
    }

    public void setPlannedUsersPerVariant(String plannedUsersPerVariant) {
        this.plannedUsersPerVariant = plannedUsersPerVariant;
    }

    public Integer getControlRow() {
        return controlRow;
    }

    public void setControlRow(Integer controlRow) {
        this.controlRow = controlRow;
    }

    public List<AbVariantForm> getVariants() {
        return variants;
    }

    public void setVariants(List<AbVariantForm> variants) {
        this.variants = variants;
    }

    public List<GuardrailForm> getGuardrails() {
        return guardrails;
    }

    public void setGuardrails(List<GuardrailForm> guardrails) {
        this.guardrails = guardrails;
    }
}
