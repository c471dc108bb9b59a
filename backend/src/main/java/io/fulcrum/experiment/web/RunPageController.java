package io.fulcrum.experiment.web;

import io.fulcrum.experiment.MetricStore;
import io.fulcrum.experiment.RunManagement;
import io.fulcrum.experiment.RunState;
import io.fulcrum.experiment.RunView;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.NotFoundException;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/** The dashboard pages of runs: the list, and one run with its live curves, result and config diff. */
@Controller
@RequestMapping("/runs")
class RunPageController {

    static final String LIST_VIEW = "runs/list";
    static final String DETAIL_VIEW = "runs/detail";
    private static final int PAGE_SIZE = 25;
    private static final int COMPARE_CHOICES = 50;

    private final RunManagement runs;
    private final MetricStore metrics;
    private final JsonMapper json;

    RunPageController(RunManagement runs, MetricStore metrics, JsonMapper json) {
        this.runs = runs;
        this.metrics = metrics;
        this.json = json;
    }

    @GetMapping
    String list(
            @RequestParam(required = false) RunState state, @RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("runs", runs.list(state, null, Math.max(page, 0), PAGE_SIZE));
        model.addAttribute("state", state);
        model.addAttribute("states", RunState.values());
        return LIST_VIEW;
    }

    @GetMapping("/{id}")
    String detail(@PathVariable long id, @RequestParam(required = false) Long compare, Model model) {
        RunView run = runs.get(id);
        RunConfig config = RunConfig.of(run, json);
        model.addAttribute("run", run);
        model.addAttribute("config", config.tree());
        model.addAttribute("taskNames", run.tasks().stream().map(t -> t.name()).toList());
        model.addAttribute("charts", java.util.List.of("loss", "weight", "validation"));
        model.addAttribute("lastSeq", metrics.lastSeq(id));
        model.addAttribute(
                "validationMetrics",
                run.tasks().stream()
                        .map(t -> t.metric().toLowerCase(Locale.ROOT))
                        .toList());
        model.addAttribute("canCancel", !run.state().finished());
        model.addAttribute("canRetry", run.state() == RunState.FAILED || run.state() == RunState.CANCELLED);
        model.addAttribute(
                "others",
                runs.list(null, null, 0, COMPARE_CHOICES).items().stream()
                        .filter(r -> r.id() != id)
                        .toList());
        if (compare != null) {
            try {
                RunView other = runs.get(compare);
                model.addAttribute("compareRun", other);
                model.addAttribute("differences", config.differencesFrom(RunConfig.of(other, json)));
            } catch (NotFoundException e) {
                model.addAttribute("error", "There is no run " + compare + " to compare with");
            }
        }
        return DETAIL_VIEW;
    }

    @PostMapping("/{id}/cancel")
    String cancel(@PathVariable long id, RedirectAttributes redirect) {
        return act(id, redirect, () -> runs.cancel(id), "Cancelling run " + id);
    }

    @PostMapping("/{id}/retry")
    String retry(@PathVariable long id, RedirectAttributes redirect) {
        return act(id, redirect, () -> runs.retry(id), "Run " + id + " is queued again");
    }

    private String act(long id, RedirectAttributes redirect, Runnable action, String done) {
        try {
            action.run();
            redirect.addFlashAttribute("message", done);
        } catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/runs/" + id;
    }
}
