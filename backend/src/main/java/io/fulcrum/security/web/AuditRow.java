package io.fulcrum.security.web;

import io.fulcrum.security.AuditEntry;
import tools.jackson.databind.JsonNode;

/**
 * One audit entry as the audit page shows it: the snapshots pretty-printed, null where there is
 * none. Public because the template calls its methods.
 */
public record AuditRow(AuditEntry entry, String before, String after) {

    static AuditRow of(AuditEntry entry) {
        return new AuditRow(entry, pretty(entry.before()), pretty(entry.after()));
    }

    /** Whether there is a snapshot to show. */
    public boolean hasChanges() {
        return before != null || after != null;
    }

    private static String pretty(JsonNode node) {
        return node == null || node.isNull() ? null : node.toPrettyString();
    }
}
