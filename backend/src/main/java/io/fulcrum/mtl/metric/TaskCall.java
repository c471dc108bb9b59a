package io.fulcrum.mtl.metric;

/**
 * What a model's paired gains over seeds say about one task: {@code BETTER} when the 95% interval of
 * the gain lies entirely above the tolerance, {@code WORSE} when it lies entirely below minus the
 * tolerance, {@code NO_CHANGE} otherwise (the interval reaches into the tolerance band, or there is no
 * interval because only one seed is paired), {@code UNDEFINED} when the metric is undefined on some
 * seed (an AUC whose test split holds one class), so that no gain can be computed to call.
 */
public enum TaskCall {
    BETTER,
    WORSE,
    NO_CHANGE,
    UNDEFINED
}
