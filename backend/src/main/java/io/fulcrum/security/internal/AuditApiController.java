package io.fulcrum.security.internal;

import io.fulcrum.security.AuditEntry;
import io.fulcrum.security.AuditLog;
import io.fulcrum.system.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log for administrators; {@link SecurityConfiguration} keeps every other role out. */
@RestController
@RequestMapping(path = "/api/audit", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Audit log", description = "Who changed what and when (ADMIN only)")
public class AuditApiController {

    private final AuditLog audit;

    AuditApiController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping
    @Operation(
            summary = "List audit entries, newest first",
            description = "Every state change made by a person, a token or the ramp supervisor, with the target"
                    + " before and after where that matters. Answers 400 naming page or size when out of range,"
                    + " 403 to anyone but an ADMIN")
    public PageResponse<AuditEntry> list(
            @Parameter(description = "Only this actor (exact user or token name, 'ramp-controller', 'system')")
                    @RequestParam(required = false)
                    String actor,
            @Parameter(description = "Only actions starting with this, e.g. 'ab-experiment.' or 'model.alias-move'")
                    @RequestParam(required = false)
                    String action,
            @Parameter(description = "Only this target (exact), e.g. 'run/42' or 'model/video-ranker'")
                    @RequestParam(required = false)
                    String target,
            @Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Page size, 1 to 200") @RequestParam(defaultValue = "50") int size) {
        return audit.list(actor, action, target, page, size);
    }
}
