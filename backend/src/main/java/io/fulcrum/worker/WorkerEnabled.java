package io.fulcrum.worker;

import java.util.Locale;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** A worker runs in the worker role, and inside the server unless fulcrum.worker.embedded=false. */
class WorkerEnabled implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        var env = context.getEnvironment();
        String role = env.getProperty("fulcrum.role", "server").strip().toLowerCase(Locale.ROOT);
        return role.equals("worker") || env.getProperty("fulcrum.worker.embedded", Boolean.class, true);
    }
}
