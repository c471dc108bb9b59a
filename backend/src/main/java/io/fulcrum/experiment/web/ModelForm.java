package io.fulcrum.experiment.web;

import io.fulcrum.experiment.ModelRequest;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.train.GradientBalancing;
import io.fulcrum.system.FieldViolation;
import java.util.List;

/** One model row of the new-study form; a row without an architecture is ignored. */
public class ModelForm {

    static final List<String> ARCHITECTURES = List.of(
            "shared-bottom",
            "asymmetric",
            "customized",
            "cross-stitch",
            "sluice",
            "mmoe",
            "ml-mmoe",
            "cgc",
            "ple",
            "esmm",
            "aitm",
            "stem",
            "adatt",
            "single");

    /** The gradient balancing methods a row may pick; none is the empty choice. */
    static final List<String> BALANCINGS = List.of("gradnorm", "pcgrad", "cagrad");

    private String name;
    private String architecture;
    private Integer sharedExperts;
    private Integer taskExperts;
    private String expertUnits;
    private Integer levels;
    private String towerUnits;
    private boolean expertNorm;
    private String balancing;

    boolean isEmpty() {
        return architecture == null || architecture.isBlank();
    }

    /** The API's model; units that are not numbers are reported against {@code field} (the row). */
    ModelRequest toRequest(String field, List<FieldViolation> violations) {
        List<Integer> experts = StudyForm.numbers(expertUnits, field + ".expertUnits", violations, Integer::valueOf);
        List<Integer> tower = StudyForm.numbers(towerUnits, field + ".towerUnits", violations, Integer::valueOf);
        boolean anyExpert = sharedExperts != null || taskExperts != null || experts != null;
        return new ModelRequest(
                name == null || name.isBlank() ? null : name.strip(),
                architecture.strip(),
                null,
                anyExpert ? new ModelSpec.Experts(sharedExperts, taskExperts, experts) : null,
                null,
                tower,
                levels,
                null,
                null,
                null,
                null,
                expertNorm ? Boolean.TRUE : null,
                null,
                balancing == null || balancing.isBlank() ? null : GradientBalancing.of(balancing.strip()));
    }

    public String getBalancing() {
        return balancing;
    }

    public void setBalancing(String balancing) {
        this.balancing = balancing;
    }

    public boolean isExpertNorm() {
        return expertNorm;
    }

    public void setExpertNorm(boolean expertNorm) {
        this.expertNorm = expertNorm;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getArchitecture() {
        return architecture;
    }

    public void setArchitecture(String architecture) {
        this.architecture = architecture;
    }

    public Integer getSharedExperts() {
        return sharedExperts;
    }

    public void setSharedExperts(Integer sharedExperts) {
        this.sharedExperts = sharedExperts;
    }

    public Integer getTaskExperts() {
        return taskExperts;
    }

    public void setTaskExperts(Integer taskExperts) {
        this.taskExperts = taskExperts;
    }

    public String getExpertUnits() {
        return expertUnits;
    }

    public void setExpertUnits(String expertUnits) {
        this.expertUnits = expertUnits;
    }

    public Integer getLevels() {
        return levels;
    }

    public void setLevels(Integer levels) {
        this.levels = levels;
    }

    public String getTowerUnits() {
        return towerUnits;
    }

    public void setTowerUnits(String towerUnits) {
        this.towerUnits = towerUnits;
    }
}
