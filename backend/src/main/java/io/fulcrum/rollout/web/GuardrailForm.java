package io.fulcrum.rollout.web;

import io.fulcrum.rollout.Guardrail;
import io.fulcrum.rollout.RolloutMetric;

/**
 * One guardrail row: the metric and one threshold, sent as {@code maxMillis} for latency and as
 * {@code maxRelativeDrop} for every other metric.
 */
public class GuardrailForm {

    private String metric;
    private Double threshold;
    private Double alpha;

    static GuardrailForm of(Guardrail g) {
        GuardrailForm form = new GuardrailForm();
        form.metric = g.metric();
        form.threshold = g.maxMillis() != null ? g.maxMillis() : g.maxRelativeDrop();
        form.alpha = g.alpha();
        return form;
    }

    boolean isEmpty() {
        return metric == null || metric.isBlank();
    }

    Guardrail toGuardrail() {
        boolean latency = RolloutMetric.fromWire(metric)
                .map(m -> m.kind() == RolloutMetric.Kind.LATENCY)
                .orElse(false);
        return new Guardrail(metric, latency ? null : threshold, latency ? threshold : null, alpha);
    }

    public String getMetric() {
        return metric;
    }

    public void setMetric(String metric) {
        this.metric = metric;
    }

    public Double getThreshold() {
        return threshold;
    }

    public void setThreshold(Double threshold) {
        this.threshold = threshold;
    }

    public Double getAlpha() {
        return alpha;
    }

    public void setAlpha(Double alpha) {
        this.alpha = alpha;
    }
}
