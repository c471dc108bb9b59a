package io.fulcrum.taskgroup.web;

import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.FormErrors;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.taskgroup.TaskGroupManagement;
import io.fulcrum.taskgroup.TaskGroupView;
import java.util.List;
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

/** The dashboard pages of task groups: list, detail, create and edit (post/redirect/get). */
@Controller
@RequestMapping("/task-groups")
class TaskGroupPageController {

    static final String LIST_VIEW = "taskgroups/list";
    static final String DETAIL_VIEW = "taskgroups/detail";
    static final String FORM_VIEW = "taskgroups/form";
    private static final int PAGE_SIZE = 25;

    private final TaskGroupManagement taskGroups;

    TaskGroupPageController(TaskGroupManagement taskGroups) {
        this.taskGroups = taskGroups;
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("groups", taskGroups.list(Math.max(page, 0), PAGE_SIZE));
        return LIST_VIEW;
    }

    @GetMapping("/{id}")
    String detail(@PathVariable long id, Model model) {
        model.addAttribute("group", taskGroups.get(id));
        return DETAIL_VIEW;
    }

    @GetMapping("/new")
    String createForm(Model model) {
        model.addAttribute("form", TaskGroupForm.blank());
        return FORM_VIEW;
    }

    @PostMapping(path = "/new", params = "addTask")
    String addTaskOnCreate(@ModelAttribute("form") TaskGroupForm form, BindingResult binding) {
        form.addTask();
        return FORM_VIEW;
    }

    @PostMapping(path = "/new", params = "removeTask")
    String removeTaskOnCreate(
            @ModelAttribute("form") TaskGroupForm form, BindingResult binding, @RequestParam int removeTask) {
        form.removeTask(removeTask);
        return FORM_VIEW;
    }

    @PostMapping("/new")
    String create(@ModelAttribute("form") TaskGroupForm form, BindingResult binding, RedirectAttributes redirect) {
        return save(form, binding, redirect, () -> taskGroups.create(form.toRequest()), "created");
    }

    @GetMapping("/{id}/edit")
    String editForm(@PathVariable long id, Model model) {
        TaskGroupView group = taskGroups.get(id);
        model.addAttribute("form", TaskGroupForm.from(group));
        model.addAttribute("group", group);
        return FORM_VIEW;
    }

    @PostMapping(path = "/{id}/edit", params = "addTask")
    String addTaskOnEdit(
            @PathVariable long id, @ModelAttribute("form") TaskGroupForm form, BindingResult binding, Model model) {
        model.addAttribute("group", taskGroups.get(id));
        form.addTask();
        return FORM_VIEW;
    }

    @PostMapping(path = "/{id}/edit", params = "removeTask")
    String removeTaskOnEdit(
            @PathVariable long id,
            @ModelAttribute("form") TaskGroupForm form,
            BindingResult binding,
            @RequestParam int removeTask,
            Model model) {
        model.addAttribute("group", taskGroups.get(id));
        form.removeTask(removeTask);
        return FORM_VIEW;
    }

    @PostMapping("/{id}/edit")
    String update(
            @PathVariable long id,
            @ModelAttribute("form") TaskGroupForm form,
            BindingResult binding,
            Model model,
            RedirectAttributes redirect) {
        model.addAttribute("group", taskGroups.get(id));
        return save(form, binding, redirect, () -> taskGroups.replace(id, form.toRequest()), "saved");
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        String name = taskGroups.get(id).name();
        try {
            taskGroups.delete(id);
        } catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
            return "redirect:/task-groups/" + id;
        }
        redirect.addFlashAttribute("message", "Deleted task group '" + name + "'");
        return "redirect:/task-groups";
    }

    /**
     * Type errors from binding (a weight that is not a number) are shown together with the rules the
     * service checks, so the user sees every problem after one submit.
     */
    private String save(
            TaskGroupForm form,
            BindingResult binding,
            RedirectAttributes redirect,
            Supplier<TaskGroupView> action,
            String verb) {
        try {
            if (binding.hasErrors()) {
                taskGroups.validate(form.toRequest());
                return FORM_VIEW;
            }
            TaskGroupView saved = action.get();
            redirect.addFlashAttribute("message", "Task group '" + saved.name() + "' " + verb);
            return "redirect:/task-groups/" + saved.id();
        } catch (InvalidInputException e) {
            reject(binding, e.violations());
        } catch (ConflictException e) {
            reject(binding, e.violations());
            if (e.violations().isEmpty()) {
                binding.reject("fulcrum.conflict", e.getMessage());
            }
        }
        return FORM_VIEW;
    }

    private static void reject(BindingResult binding, List<FieldViolation> violations) {
        FormErrors.reject(binding, violations, TaskGroupPageController::formField);
    }

    /** The sample-space condition is one object in the API but a type and a name on the form. */
    static String formField(String apiField) {
        return apiField.replaceFirst("\\.sampleSpace(\\.task|\\.column)?$", ".sampleSpaceName");
    }
}
