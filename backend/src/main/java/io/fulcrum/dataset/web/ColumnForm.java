package io.fulcrum.dataset.web;

/** One column's row in the import wizard's schema step. */
public class ColumnForm {

    private String name;
    private String role;
    private String positiveValues;

    public ColumnForm() {}

    ColumnForm(String name, String role, String positiveValues) {
        this.name = name;
        this.role = role;
        this.positiveValues = positiveValues;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public String getPositiveValues() {
        return positiveValues;
    }

    public void setPositiveValues(String positiveValues) {
        this.positiveValues = positiveValues;
    }
}
