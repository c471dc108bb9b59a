/**
 * Workers started on a cluster when the queue needs them: with {@code fulcrum.launcher=kubernetes} the
 * server creates a Kubernetes Job per worker that waiting runs need and no live worker can give, up to
 * a maximum, and deletes the Jobs that finished. The run queue stays the one source of truth: a
 * launched worker claims runs like any other, and a killed pod is a lost worker whose run is requeued.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Cluster launcher")
package io.fulcrum.cluster;
