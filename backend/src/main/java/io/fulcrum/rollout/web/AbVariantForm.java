package io.fulcrum.rollout.web;

import io.fulcrum.rollout.AbVariant;
import io.fulcrum.rollout.AbVariantRequest;
import io.fulcrum.rollout.LengthTransform;
import io.fulcrum.rollout.ScoringSpec;
import io.fulcrum.system.FieldViolation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One variant row of the experiment form. Exponents are {@code task=weight} text; blank exponents
 * with no length factor leave the scoring to the surface's default.
 */
public class AbVariantForm {

    private String name;
    private Integer modelVersion;
    private String exponents;
    private String lengthType = "none";
    private Double lengthCenter;
    private Double lengthScale;
    private Integer allocationBps;

    static AbVariantForm of(AbVariant v) {
        AbVariantForm form = new AbVariantForm();
        form.name = v.name();
        form.modelVersion = v.modelVersion();
        form.exponents = v.scoring().exponents().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + number(e.getValue()))
                .collect(Collectors.joining(", "));
        LengthTransform f = v.scoring().lengthTransform();
        form.lengthType = f.type();
        form.lengthCenter = f.center();
        form.lengthScale = f.scale();
        form.allocationBps = v.allocationBps();
        return form;
    }

    boolean isEmpty() {
        return blank(name) && modelVersion == null && allocationBps == null && blank(exponents);
    }

    /** The API's variant; {@code row} is the form row, for exponents that do not parse. */
    AbVariantRequest toRequest(int row, boolean control, List<FieldViolation> violations) {
        return new AbVariantRequest(
                name == null ? null : name.strip(), control, modelVersion, scoring(row, violations), allocationBps);
    }

    private ScoringSpec scoring(int row, List<FieldViolation> violations) {
        String type = blank(lengthType) ? "none" : lengthType;
        if (blank(exponents) && "none".equals(type)) {
            return null;
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        if (!blank(exponents)) {
            for (String part : exponents.split(",")) {
                String[] pair = part.split("=", 2);
                try {
                    if (pair.length != 2 || pair[0].isBlank()) {
                        throw new NumberFormatException(part);
                    }
                    weights.put(pair[0].strip(), Double.valueOf(pair[1].strip()));
                } catch (NumberFormatException e) {
                    violations.add(new FieldViolation(
                            "variants[" + row + "].exponents",
                            "format",
                            "write task=weight pairs, e.g. vtr=1, vcr=0.5"));
                    return null;
                }
            }
        }
        return new ScoringSpec(
                weights,
                new LengthTransform(
                        type, "sigmoid".equals(type) ? lengthCenter : null, "none".equals(type) ? null : lengthScale));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String number(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e9 ? Long.toString((long) x) : Double.toString(x);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Integer getModelVersion() {
        return modelVersion;
    }

    public void setModelVersion(Integer modelVersion) {
        this.modelVersion = modelVersion;
    }

    public String getExponents() {
        return exponents;
    }

    public void setExponents(String exponents) {
        this.exponents = exponents;
    }

    public String getLengthType() {
        return lengthType;
    }

    public void setLengthType(String lengthType) {
        this.lengthType = lengthType;
    }

    public Double getLengthCenter() {
        return lengthCenter;
    }

    public void setLengthCenter(Double lengthCenter) {
        this.lengthCenter = lengthCenter;
    }

    public Double getLengthScale() {
        return lengthScale;
    }

    public void setLengthScale(Double lengthScale) {
        this.lengthScale = lengthScale;
    }

    public Integer getAllocationBps() {
        return allocationBps;
    }

    public void setAllocationBps(Integer allocationBps) {
        this.allocationBps = allocationBps;
    }
}
