package io.fulcrum.security.web;

import io.fulcrum.security.AuditEntry;
import io.fulcrum.security.AuditLog;
import io.fulcrum.system.PageResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit log page for administrators: filter by actor, action prefix and target, page through. */
@Controller
@RequestMapping("/admin/audit")
class AuditPageController {

    static final String VIEW = "admin/audit";
    private static final int PAGE_SIZE = 25;

    private final AuditLog audit;

    AuditPageController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping
    String list(
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String target,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        PageResponse<AuditEntry> entries = audit.list(actor, action, target, Math.max(page, 0), PAGE_SIZE);
        model.addAttribute("entries", entries);
        model.addAttribute("rows", entries.items().stream().map(AuditRow::of).toList());
        model.addAttribute("actor", blankToNull(actor));
        model.addAttribute("action", blankToNull(action));
        model.addAttribute("target", blankToNull(target));
        return VIEW;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
