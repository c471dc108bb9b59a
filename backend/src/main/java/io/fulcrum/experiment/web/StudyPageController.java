package io.fulcrum.experiment.web;

import io.fulcrum.dataset.DatasetManagement;
import io.fulcrum.experiment.StudyManagement;
import io.fulcrum.experiment.StudyView;
import io.fulcrum.schedule.LossWeightSchedules;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.FormErrors;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.taskgroup.TaskGroupManagement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

/** The dashboard pages of studies: list, create (post/redirect/get) and the study with its charts. */
@Controller
@RequestMapping("/studies")
class StudyPageController {

    static final String LIST_VIEW = "studies/list";
    static final String DETAIL_VIEW = "studies/detail";
    static final String FORM_VIEW = "studies/form";
    private static final int PAGE_SIZE = 20;
    private static final int CHOICES = 200;
    private static final Pattern MODEL_FIELD = Pattern.compile("^models\\[(\\d+)](?:\\.(\\w+))?.*$");

    private final StudyManagement studies;
    private final StudySummaries summaries;
    private final TaskGroupManagement taskGroups;
    private final DatasetManagement datasets;
    private final LossWeightSchedules schedules;

    StudyPageController(
            StudyManagement studies,
            StudySummaries summaries,
            TaskGroupManagement taskGroups,
            DatasetManagement datasets,
            LossWeightSchedules schedules) {
        this.studies = studies;
        this.summaries = summaries;
        this.taskGroups = taskGroups;
        this.datasets = datasets;
        this.schedules = schedules;
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        var found = studies.list(Math.max(page, 0), PAGE_SIZE);
        model.addAttribute("studies", found);
        model.addAttribute("summaries", summaries.of(found.items()));
        return LIST_VIEW;
    }

    @GetMapping("/{id}")
    String detail(@PathVariable long id, Model model) {
        StudyView study = studies.get(id);
        model.addAttribute("study", study);
        model.addAttribute("summary", summaries.of(List.of(study)).get(0));
        return DETAIL_VIEW;
    }

    @GetMapping("/new")
    String createForm(Model model) {
        model.addAttribute("form", StudyForm.blank());
        return choices(model);
    }

    @PostMapping("/new")
    String create(
            @ModelAttribute("form") StudyForm form, BindingResult binding, Model model, RedirectAttributes redirect) {
        List<FieldViolation> unparsed = new ArrayList<>();
        var request = form.toRequest(unparsed);
        List<Integer> rows = form.filledRows();
        try {
            if (binding.hasErrors() || !unparsed.isEmpty()) {
                FormErrors.reject(binding, unparsed, field -> field);
            } else {
                StudyView created = studies.create(request);
                redirect.addFlashAttribute(
                        "message",
                        "Study '" + created.name() + "' created: "
                                + created.runs().size() + " runs queued or reused");
                return "redirect:/studies/" + created.id();
            }
        } catch (InvalidInputException e) {
            FormErrors.reject(binding, e.violations(), field -> formField(field, rows));
        } catch (ConflictException e) {
            FormErrors.reject(binding, e.violations(), field -> formField(field, rows));
            if (e.violations().isEmpty()) {
                binding.reject("fulcrum.conflict", e.getMessage());
            }
        }
        form.padModels();
        return choices(model);
    }

    private String choices(Model model) {
        model.addAttribute("taskGroups", taskGroups.list(0, CHOICES).items());
        model.addAttribute("datasets", datasets.list(0, CHOICES).items());
        model.addAttribute("schedules", schedules.list(0, CHOICES).items());
        model.addAttribute("architectures", ModelForm.ARCHITECTURES);
        model.addAttribute("balancings", ModelForm.BALANCINGS);
        return FORM_VIEW;
    }

    /**
     * The API names fields of the request; the form has its own: {@code models[i]} counts filled rows
     * only, training and resources are flat, and lists are text.
     */
    static String formField(String apiField, List<Integer> rows) {
        Matcher m = MODEL_FIELD.matcher(apiField);
        if (m.matches()) {
            int index = Integer.parseInt(m.group(1));
            if (index >= rows.size()) {
                return "models";
            }
            String row = "models[" + rows.get(index) + "].";
            String rest = apiField.substring(m.end(1) + 1);
            if (rest.startsWith(".experts.shared")) {
                return row + "sharedExperts";
            } else if (rest.startsWith(".experts.perTask")) {
                return row + "taskExperts";
            } else if (rest.startsWith(".experts")) {
                return row + "expertUnits";
            } else if (rest.startsWith(".towerUnits")) {
                return row + "towerUnits";
            } else if (rest.startsWith(".levels")) {
                return row + "levels";
            } else if (rest.startsWith(".name")) {
                return row + "name";
            }
            return row + "architecture";
        }
        if (apiField.startsWith("seeds")) {
            return "seeds";
        }
        if (apiField.startsWith("lossWeightScheduleId")) {
            return "scheduleId";
        }
        if (apiField.startsWith("resources.workerLabels")) {
            return "workerLabels";
        }
        if (apiField.startsWith("training.") || apiField.startsWith("resources.")) {
            return apiField.substring(apiField.indexOf('.') + 1);
        }
        return apiField;
    }
}
