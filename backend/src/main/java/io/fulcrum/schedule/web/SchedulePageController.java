package io.fulcrum.schedule.web;

import io.fulcrum.schedule.LossWeightSchedules;
import io.fulcrum.schedule.ScheduleView;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FormErrors;
import io.fulcrum.system.InvalidInputException;
import java.util.function.Supplier;
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
import tools.jackson.databind.json.JsonMapper;

/** The dashboard pages of loss-weight schedules: list, and an editor with a live weight-curve preview. */
@Controller
@RequestMapping("/schedules")
class SchedulePageController {

    static final String LIST_VIEW = "schedules/list";
    static final String FORM_VIEW = "schedules/form";
    private static final int PAGE_SIZE = 25;

    private final LossWeightSchedules schedules;
    private final JsonMapper json;

    SchedulePageController(LossWeightSchedules schedules, JsonMapper json) {
        this.schedules = schedules;
        this.json = json;
    }

    @ModelAttribute("types")
    Iterable<String> types() {
        return ScheduleForm.TYPES;
    }

    @ModelAttribute("units")
    Iterable<String> units() {
        return java.util.List.of("epoch", "step");
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("schedules", schedules.list(Math.max(page, 0), PAGE_SIZE));
        return LIST_VIEW;
    }

    @GetMapping("/new")
    String createForm(Model model) {
        model.addAttribute("form", ScheduleForm.blank());
        return FORM_VIEW;
    }

    @PostMapping("/new")
    String create(@ModelAttribute("form") ScheduleForm form, BindingResult binding, RedirectAttributes redirect) {
        return save(form, binding, redirect, () -> schedules.create(form.toRequest()), "created");
    }

    @GetMapping("/{id}")
    String editForm(@PathVariable long id, Model model) {
        ScheduleView schedule = schedules.get(id);
        model.addAttribute("schedule", schedule);
        model.addAttribute("form", ScheduleForm.from(schedule, json));
        return FORM_VIEW;
    }

    /** Saving a changed spec adds a version, as PUT in the API does. */
    @PostMapping("/{id}")
    String update(
            @PathVariable long id,
            @ModelAttribute("form") ScheduleForm form,
            BindingResult binding,
            Model model,
            RedirectAttributes redirect) {
        model.addAttribute("schedule", schedules.get(id));
        return save(form, binding, redirect, () -> schedules.replace(id, form.toRequest()), "saved");
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        String name = schedules.get(id).name();
        try {
            schedules.delete(id);
        } catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
            return "redirect:/schedules/" + id;
        }
        redirect.addFlashAttribute("message", "Deleted schedule '" + name + "'");
        return "redirect:/schedules";
    }

    private String save(
            ScheduleForm form,
            BindingResult binding,
            RedirectAttributes redirect,
            Supplier<ScheduleView> action,
            String verb) {
        try {
            ScheduleView saved = action.get();
            redirect.addFlashAttribute(
                    "message", "Schedule '" + saved.name() + "' " + verb + " (version " + saved.version() + ")");
            return "redirect:/schedules/" + saved.id();
        } catch (InvalidInputException e) {
            FormErrors.reject(binding, e.violations(), ScheduleForm::formField);
        } catch (ConflictException e) {
            FormErrors.reject(binding, e.violations(), ScheduleForm::formField);
            if (e.violations().isEmpty()) {
                binding.reject("fulcrum.conflict", e.getMessage());
            }
        }
        return FORM_VIEW;
    }
}
