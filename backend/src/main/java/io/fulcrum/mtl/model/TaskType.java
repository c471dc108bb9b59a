package io.fulcrum.mtl.model;

/** BINARY tasks output a logit and train with BCE; REGRESSION tasks output a value and train with MSE. */
public enum TaskType {
    BINARY,
    REGRESSION
}
