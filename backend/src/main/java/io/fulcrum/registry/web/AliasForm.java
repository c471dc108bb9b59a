package io.fulcrum.registry.web;

import io.fulcrum.registry.AliasRequest;

/** The set-alias form on a model's page: point an alias at a version, and say why. */
class AliasForm {

    private String alias;
    private Integer version;
    private String reason;

    AliasRequest toRequest() {
        return new AliasRequest(version, reason);
    }

    static String formField(String apiField) {
        return switch (apiField) {
            case "alias", "version", "reason" -> apiField;
            default -> null;
        };
    }

    public String getAlias() {
        return alias;
    }

    public void setAlias(String alias) {
        this.alias = alias == null ? null : alias.strip();
    }

    public Integer getVersion() {
        return version;
    }

    public void setVersion(Integer version) {
        this.version = version;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
