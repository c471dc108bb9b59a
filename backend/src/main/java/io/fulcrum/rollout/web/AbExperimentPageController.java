package io.fulcrum.rollout.web;

import io.fulcrum.rollout.AbExperimentRequest;
import io.fulcrum.rollout.AbExperimentState;
import io.fulcrum.rollout.AbExperimentView;
import io.fulcrum.rollout.AbExperiments;
import io.fulcrum.rollout.PowerPlanRequest;
import io.fulcrum.rollout.PowerPlans;
import io.fulcrum.rollout.RolloutMetric;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.FormErrors;
import io.fulcrum.system.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The dashboard pages of A/B experiments: the list, the new and edit forms, and one experiment with
 * its state actions, ramp plan, history and results. Changes are made as the signed-in user.
 */
@Controller
@RequestMapping("/ab-experiments")
class AbExperimentPageController {

    static final String LIST_VIEW = "ab/list";
    static final String FORM_VIEW = "ab/form";
    static final String DETAIL_VIEW = "ab/detail";
    private static final int PAGE_SIZE = 50;
    /** Who makes a change until the security issue supplies the signed-in user. */
    private static final String ACTOR = null;

    private final AbExperiments experiments;
    private final PowerPlans powerPlans;

    AbExperimentPageController(AbExperiments experiments, PowerPlans powerPlans) {
        this.experiments = experiments;
        this.powerPlans = powerPlans;
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "0") int page, @RequestParam(required = false) String state, Model model) {
        String wanted = state == null || state.isBlank() ? null : state;
        model.addAttribute("experiments", experiments.list(null, wanted, Math.max(page, 0), PAGE_SIZE));
        model.addAttribute("state", wanted);
        model.addAttribute("fmt", new PageNumbers());
        model.addAttribute("states", AbExperimentState.values());
        return LIST_VIEW;
    }

    @GetMapping("/new")
    String createForm(Model model) {
        AbExperimentForm form = AbExperimentForm.blank();
        List<String> surfaces = experiments.surfaceNames();
        if (surfaces.size() == 1) {
            form.setSurface(surfaces.get(0));
        }
        model.addAttribute("form", form);
        return showForm(model, null);
    }

    @PostMapping("/new")
    String create(
            @ModelAttribute("form") AbExperimentForm form,
            BindingResult binding,
            Model model,
            RedirectAttributes redirect) {
        AbExperimentView created = save(form, binding, request -> experiments.create(request, ACTOR));
        if (created == null) {
            return showForm(model, null);
        }
        redirect.addFlashAttribute("message", "Experiment '" + created.name() + "' created as a DRAFT");
        return "redirect:/ab-experiments/" + created.id();
    }

    @GetMapping("/{id}/edit")
    String editForm(@PathVariable long id, Model model) {
        AbExperimentView found = experiments.get(id);
        model.addAttribute("form", AbExperimentForm.of(found));
        return showForm(model, found);
    }

    @PostMapping("/{id}/edit")
    String edit(
            @PathVariable long id,
            @ModelAttribute("form") AbExperimentForm form,
            BindingResult binding,
            Model model,
            RedirectAttributes redirect) {
        AbExperimentView saved = save(form, binding, request -> experiments.update(id, request, ACTOR));
        if (saved == null) {
            return showForm(model, experiments.get(id));
        }
        redirect.addFlashAttribute("message", "Experiment '" + saved.name() + "' saved");
        return "redirect:/ab-experiments/" + id;
    }

    /** Sends the form to the service; null with the errors bound to the form when it refuses. */
    private static AbExperimentView save(
            AbExperimentForm form, BindingResult binding, Function<AbExperimentRequest, AbExperimentView> action) {
        List<FieldViolation> unparsed = new ArrayList<>();
        AbExperimentRequest request = form.toRequest(unparsed);
        try {
            if (binding.hasErrors() || !unparsed.isEmpty()) {
                FormErrors.reject(binding, unparsed, field -> field);
            } else {
                return action.apply(request);
            }
        } catch (InvalidInputException e) {
            FormErrors.reject(binding, e.violations(), form::formField);
        } catch (ConflictException e) {
            FormErrors.reject(binding, e.violations(), form::formField);
            if (e.violations().isEmpty()) {
                binding.reject("fulcrum.conflict", e.getMessage());
            }
        }
        form.pad();
        return null;
    }

    private String showForm(Model model, AbExperimentView editing) {
        model.addAttribute("editing", editing);
        model.addAttribute("surfaces", experiments.surfaceNames());
        model.addAttribute(
                "targetMetrics",
                Arrays.stream(RolloutMetric.values())
                        .filter(m -> m.kind() != RolloutMetric.Kind.LATENCY)
                        .map(RolloutMetric::wire)
                        .toList());
        model.addAttribute(
                "metrics",
                Arrays.stream(RolloutMetric.values()).map(RolloutMetric::wire).toList());
        model.addAttribute("lengthTypes", List.of("none", "sigmoid", "log"));
        model.addAttribute("analyses", List.of("fixed", "sequential"));
        model.addAttribute("corrections", List.of("holm", "benjamini-hochberg", "none"));
        model.addAttribute("variantRows", AbExperimentForm.VARIANT_ROWS);
        return FORM_VIEW;
    }

    /** The power planning page: the form, and with a surface the plan or the broken rules. */
    @GetMapping("/power")
    String power(
            @RequestParam(required = false) String surface,
            @RequestParam(defaultValue = "P14D") String duration,
            @RequestParam(defaultValue = "0.1") String trafficShare,
            @RequestParam(required = false) String targetLiftPercent,
            @RequestParam(required = false) List<String> metrics,
            Model model) {
        model.addAttribute("surfaces", experiments.surfaceNames());
        model.addAttribute("surface", surface);
        model.addAttribute("duration", duration);
        model.addAttribute("trafficShare", trafficShare);
        model.addAttribute("targetLiftPercent", targetLiftPercent);
        model.addAttribute("chosenMetrics", metrics == null ? List.of() : metrics);
        model.addAttribute(
                "targetMetrics",
                Arrays.stream(RolloutMetric.values())
                        .filter(m -> m.kind() != RolloutMetric.Kind.LATENCY)
                        .map(RolloutMetric::wire)
                        .toList());
        if (surface != null && !surface.isBlank()) {
            List<String> errors = new ArrayList<>();
            Double share = number(trafficShare, "trafficShare", errors);
            Double target = targetLiftPercent == null || targetLiftPercent.isBlank()
                    ? null
                    : number(targetLiftPercent, "targetLift", errors);
            if (errors.isEmpty()) {
                try {
                    model.addAttribute(
                            "plan",
                            powerPlans.plan(new PowerPlanRequest(
                                    surface,
                                    metrics,
                                    duration,
                                    share,
                                    2,
                                    target == null ? null : target / 100,
                                    null,
                                    null)));
                } catch (InvalidInputException e) {
                    e.violations().forEach(v -> errors.add(v.field() + ": " + v.message()));
                }
            }
            model.addAttribute("errors", errors);
        }
        return "ab/power";
    }

    private static Double number(String text, String field, List<String> errors) {
        try {
            return Double.valueOf(text.strip());
        } catch (NumberFormatException e) {
            errors.add(field + ": must be a number");
            return null;
        }
    }

    @GetMapping("/{id}")
    String detail(@PathVariable long id, Model model) {
        AbExperimentView found = experiments.get(id);
        List<String> buckets = new ArrayList<>();
        int start = 0;
        for (var v : found.variants()) {
            buckets.add(start + " – " + (start + v.allocationBps() - 1));
            start += v.allocationBps();
        }
        model.addAttribute("experiment", found);
        model.addAttribute("buckets", buckets);
        model.addAttribute("history", experiments.history(id));
        model.addAttribute("fmt", new PageNumbers());
        return DETAIL_VIEW;
    }

    @PostMapping("/{id}/start")
    String start(@PathVariable long id, @RequestParam(required = false) String reason, RedirectAttributes redirect) {
        return transition(id, redirect, () -> experiments.start(id, ACTOR, reason), "started");
    }

    @PostMapping("/{id}/stop")
    String stop(@PathVariable long id, @RequestParam(required = false) String reason, RedirectAttributes redirect) {
        return transition(id, redirect, () -> experiments.stop(id, ACTOR, reason), "stopped");
    }

    @PostMapping("/{id}/advance")
    String advance(@PathVariable long id, @RequestParam(required = false) String reason, RedirectAttributes redirect) {
        return transition(id, redirect, () -> experiments.advance(id, ACTOR, reason), "moved to its next ramp step");
    }

    @PostMapping("/{id}/promote")
    String promote(
            @PathVariable long id,
            @RequestParam(required = false) String variant,
            @RequestParam(required = false) String reason,
            RedirectAttributes redirect) {
        return transition(
                id,
                redirect,
                () -> experiments.promote(id, variant, ACTOR, reason),
                "promoted: variant '" + variant + "' is the champion now");
    }

    @PostMapping("/{id}/rollback")
    String rollback(@PathVariable long id, @RequestParam(required = false) String reason, RedirectAttributes redirect) {
        return transition(
                id,
                redirect,
                () -> {
                    experiments.rollBack(id, ACTOR, reason);
                    return experiments.get(id);
                },
                "rolled back");
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        try {
            AbExperimentView found = experiments.get(id);
            experiments.delete(id);
            redirect.addFlashAttribute("message", "Experiment '" + found.name() + "' deleted");
            return "redirect:/ab-experiments";
        } catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
            return "redirect:/ab-experiments/" + id;
        }
    }

    private static String transition(
            long id, RedirectAttributes redirect, java.util.function.Supplier<AbExperimentView> action, String done) {
        try {
            AbExperimentView after = action.get();
            redirect.addFlashAttribute("message", "Experiment '" + after.name() + "' " + done);
        } catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute(
                    "error",
                    String.join(
                            "; ",
                            e.violations().stream()
                                    .map(v -> v.field() + " " + v.message())
                                    .toList()));
        }
        return "redirect:/ab-experiments/" + id;
    }
}
