package io.fulcrum.worker.web;

import io.fulcrum.system.ConflictException;
import io.fulcrum.worker.WorkerRegistry;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The dashboard page of worker nodes: what each one has, how alive it is, what it trains; drain. */
@Controller
@RequestMapping("/workers")
class WorkerPageController {

    static final String LIST_VIEW = "workers/list";
    private static final int PAGE_SIZE = 50;

    private final WorkerRegistry workers;

    WorkerPageController(WorkerRegistry workers) {
        this.workers = workers;
    }

    @GetMapping
    String list(
            @RequestParam(defaultValue = "false") boolean includeStopped,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        model.addAttribute("workers", workers.list(includeStopped, Math.max(page, 0), PAGE_SIZE));
        model.addAttribute("includeStopped", includeStopped);
        return LIST_VIEW;
    }

    @PostMapping("/{id}/drain")
    String drain(@PathVariable long id, RedirectAttributes redirect) {
        try {
            String name = workers.drain(id).name();
            redirect.addFlashAttribute(
                    "message", "Worker '" + name + "' is draining: it finishes its runs and takes no new ones");
        } catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/workers";
    }
}
