package io.fulcrum.registry.web;

import io.fulcrum.registry.VersionRequest;

/** The register-a-run form: which run, into which model, with what description. */
class RegisterForm {

    private Long runId;
    private String name;
    private String description;

    static RegisterForm forRun(Long runId) {
        RegisterForm form = new RegisterForm();
        form.setRunId(runId);
        return form;
    }

    VersionRequest toRequest() {
        return new VersionRequest(runId, description);
    }

    /** The registry names fields as the form does. */
    static String formField(String apiField) {
        return switch (apiField) {
            case "runId", "name", "description" -> apiField;
            default -> null;
        };
    }

    public Long getRunId() {
        return runId;
    }

    public void setRunId(Long runId) {
        this.runId = runId;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }
}
