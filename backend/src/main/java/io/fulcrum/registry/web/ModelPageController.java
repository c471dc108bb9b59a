package io.fulcrum.registry.web;

import io.fulcrum.registry.ModelRegistry;
import io.fulcrum.registry.ModelVersionView;
import io.fulcrum.registry.RegisteredModelView;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.FormErrors;
import io.fulcrum.system.InvalidInputException;
import java.util.List;
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

/**
 * The dashboard pages of the model registry: the models, registering a run, one model with its
 * versions and aliases, and one version. Changes are made as the signed-in user.
 */
@Controller
@RequestMapping("/models")
class ModelPageController {

    static final String LIST_VIEW = "models/list";
    static final String REGISTER_VIEW = "models/register";
    static final String DETAIL_VIEW = "models/detail";
    static final String VERSION_VIEW = "models/version";
    private static final int PAGE_SIZE = 50;
    private static final int NAME_CHOICES = 200;
    /** Who makes a change until the security issue supplies the signed-in user. */
    private static final String ACTOR = null;

    private final ModelRegistry registry;
    private final JsonMapper json;

    ModelPageController(ModelRegistry registry, JsonMapper json) {
        this.registry = registry;
        this.json = json;
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("models", registry.list(Math.max(page, 0), PAGE_SIZE));
        return LIST_VIEW;
    }

    @GetMapping("/register")
    String registerForm(@RequestParam(required = false) Long runId, Model model) {
        model.addAttribute("form", RegisterForm.forRun(runId));
        return showRegisterForm(model);
    }

    @PostMapping("/register")
    String register(
            @ModelAttribute("form") RegisterForm form,
            BindingResult binding,
            Model model,
            RedirectAttributes redirect) {
        if (binding.hasErrors()) {
            return showRegisterForm(model);
        }
        try {
            ModelVersionView version = registry.register(form.getName(), form.toRequest(), ACTOR);
            redirect.addAttribute("name", version.model());
            redirect.addAttribute("version", version.version());
            redirect.addFlashAttribute(
                    "message",
                    "Run " + version.runId() + " is version " + version.version() + " of model '" + version.model()
                            + "'");
            return "redirect:/models/{name}/versions/{version}";
        } catch (InvalidInputException e) {
            FormErrors.reject(binding, e.violations(), RegisterForm::formField);
        } catch (ConflictException e) {
            reject(binding, e, RegisterForm::formField);
        }
        return showRegisterForm(model);
    }

    private String showRegisterForm(Model model) {
        model.addAttribute(
                "modelNames",
                registry.list(0, NAME_CHOICES).items().stream()
                        .map(RegisteredModelView::name)
                        .toList());
        return REGISTER_VIEW;
    }

    @GetMapping("/{name}")
    String detail(@PathVariable String name, Model model) {
        model.addAttribute("form", new AliasForm());
        return showModel(name, model);
    }

    @PostMapping("/{name}/aliases")
    String moveAlias(
            @PathVariable String name,
            @ModelAttribute("form") AliasForm form,
            BindingResult binding,
            Model model,
            RedirectAttributes redirect) {
        if (!binding.hasErrors()) {
            try {
                var moved = registry.moveAlias(name, form.getAlias(), form.toRequest(), ACTOR);
                redirect.addAttribute("name", name);
                redirect.addFlashAttribute(
                        "message", "Alias '" + moved.alias() + "' points at version " + moved.version());
                return "redirect:/models/{name}";
            } catch (InvalidInputException e) {
                FormErrors.reject(binding, e.violations(), AliasForm::formField);
            }
        }
        return showModel(name, model);
    }

    @PostMapping("/{name}/aliases/{alias}/remove")
    String removeAlias(
            @PathVariable String name,
            @PathVariable String alias,
            @RequestParam(required = false) String reason,
            RedirectAttributes redirect) {
        try {
            registry.removeAlias(name, alias, reason, ACTOR);
            redirect.addFlashAttribute("message", "Alias '" + alias + "' removed");
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", messages(e.violations()));
        }
        redirect.addAttribute("name", name);
        return "redirect:/models/{name}";
    }

    @GetMapping("/{name}/versions/{version}")
    String version(@PathVariable String name, @PathVariable String version, Model model) {
        ModelVersionView found = registry.resolve(name, version);
        model.addAttribute("version", found);
        model.addAttribute("training", json.writeValueAsString(found.lineage().training()));
        model.addAttribute(
                "lossWeights",
                found.lineage().lossWeights() == null
                        ? null
                        : json.writeValueAsString(found.lineage().lossWeights()));
        return VERSION_VIEW;
    }

    private String showModel(String name, Model model) {
        RegisteredModelView found = registry.get(name);
        model.addAttribute("registered", found);
        model.addAttribute("versions", registry.versions(name, 0, PAGE_SIZE));
        model.addAttribute("history", registry.aliasHistory(name));
        return DETAIL_VIEW;
    }

    private static void reject(
            BindingResult binding, ConflictException e, java.util.function.UnaryOperator<String> formField) {
        FormErrors.reject(binding, e.violations(), formField);
        if (e.violations().isEmpty()) {
            binding.reject("fulcrum.conflict", e.getMessage());
        }
    }

    private static String messages(List<FieldViolation> violations) {
        return String.join(
                "; ",
                violations.stream().map(v -> v.field() + " " + v.message()).toList());
    }
}
