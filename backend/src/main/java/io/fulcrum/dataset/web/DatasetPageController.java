package io.fulcrum.dataset.web;

import io.fulcrum.dataset.DatasetImports;
import io.fulcrum.dataset.DatasetManagement;
import io.fulcrum.dataset.DatasetPreset;
import io.fulcrum.dataset.ImportJobView;
import io.fulcrum.dataset.io.ColumnRole;
import io.fulcrum.dataset.io.FilePreview;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.FormErrors;
import io.fulcrum.system.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The dataset pages: list, detail with profile, and the import wizard (source → preview and schema →
 * split → import with a progress bar).
 */
@Controller
@RequestMapping("/datasets")
class DatasetPageController {

    static final String LIST_VIEW = "datasets/list";
    static final String DETAIL_VIEW = "datasets/detail";
    static final String SOURCE_VIEW = "datasets/source";
    static final String SCHEMA_VIEW = "datasets/schema";
    static final String PROGRESS_VIEW = "datasets/progress";
    private static final int PREVIEW_ROWS = 10;

    private final DatasetManagement datasets;
    private final DatasetImports imports;

    DatasetPageController(DatasetManagement datasets, DatasetImports imports) {
        this.datasets = datasets;
        this.imports = imports;
    }

    @ModelAttribute("presets")
    List<String> presets() {
        return DatasetPreset.apiNames();
    }

    @ModelAttribute("roles")
    ColumnRole[] roles() {
        return ColumnRole.values();
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("datasets", datasets.list(Math.max(page, 0), 25));
        return LIST_VIEW;
    }

    @GetMapping("/{id}")
    String detail(@PathVariable long id, Model model) {
        model.addAttribute("dataset", datasets.get(id));
        model.addAttribute("profile", datasets.profile(id));
        model.addAttribute("preview", datasets.rows(id, PREVIEW_ROWS));
        return DETAIL_VIEW;
    }

    @GetMapping("/new")
    String sourceForm(Model model) {
        model.addAttribute("form", new DatasetForm());
        return SOURCE_VIEW;
    }

    @PostMapping(path = "/new", params = "step=preview")
    String preview(
            @ModelAttribute("form") DatasetForm form,
            BindingResult binding,
            @RequestParam(name = "upload", required = false) MultipartFile upload,
            Model model) {
        if (upload != null && !upload.isEmpty()) {
            try (InputStream content = upload.getInputStream()) {
                form.setUploadId(
                        datasets.upload(content, upload.getOriginalFilename()).uploadId());
                form.setUploadName(upload.getOriginalFilename());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (binding.hasErrors()) {
            return SOURCE_VIEW;
        }
        if (form.isGenerated()) {
            return startImport(form, binding, SOURCE_VIEW);
        }
        try {
            datasets.checkName(form.getName());
        } catch (InvalidInputException e) {
            reject(binding, e.violations());
        } catch (ConflictException e) {
            reject(binding, e.violations());
        }
        try {
            FilePreview preview = datasets.preview(form.fileSource(), PREVIEW_ROWS);
            form.useColumns(preview.inferredSchema());
            model.addAttribute("preview", preview);
        } catch (InvalidInputException e) {
            reject(binding, e.violations());
        }
        return binding.hasErrors() ? SOURCE_VIEW : SCHEMA_VIEW;
    }

    @PostMapping(path = "/new", params = "step=import")
    String importFile(@ModelAttribute("form") DatasetForm form, BindingResult binding, Model model) {
        String view = binding.hasErrors() ? SCHEMA_VIEW : startImport(form, binding, SCHEMA_VIEW);
        if (view.equals(SCHEMA_VIEW)) {
            model.addAttribute("preview", datasets.preview(form.fileSource(), PREVIEW_ROWS));
        }
        return view;
    }

    @GetMapping("/imports/{jobId}")
    String progress(@PathVariable String jobId, Model model) {
        model.addAttribute("job", imports.get(jobId));
        return PROGRESS_VIEW;
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        String name = datasets.get(id).name();
        try {
            datasets.delete(id);
        } catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
            return "redirect:/datasets/" + id;
        }
        redirect.addFlashAttribute("message", "Deleted dataset '" + name + "'");
        return "redirect:/datasets";
    }

    private String startImport(DatasetForm form, BindingResult binding, String viewOnError) {
        try {
            ImportJobView job = imports.start(form.toRequest());
            return "redirect:/datasets/imports/" + job.id();
        } catch (InvalidInputException e) {
            reject(binding, e.violations());
        } catch (ConflictException e) {
            reject(binding, e.violations());
        }
        return viewOnError;
    }

    private static void reject(BindingResult binding, List<FieldViolation> violations) {
        FormErrors.reject(binding, violations, DatasetForm::formField);
    }
}
