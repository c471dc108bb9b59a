package io.fulcrum.experiment.web;

import io.fulcrum.experiment.LiveWorkers;
import io.fulcrum.experiment.RunManagement;
import io.fulcrum.experiment.StudyManagement;
import java.time.LocalDate;
import java.time.ZoneId;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The dashboard's first page: workers, the run queue today, and the latest studies with their verdicts. */
@Controller
class OverviewPageController {

    static final String VIEW = "overview";
    private static final int LATEST_STUDIES = 5;

    private final LiveWorkers workers;
    private final RunManagement runs;
    private final StudyManagement studies;
    private final StudySummaries summaries;

    OverviewPageController(LiveWorkers workers, RunManagement runs, StudyManagement studies, StudySummaries summaries) {
        this.workers = workers;
        this.runs = runs;
        this.studies = studies;
        this.summaries = summaries;
    }

    @GetMapping("/overview")
    String overview(Model model) {
        var midnight = LocalDate.now().atStartOfDay(ZoneId.systemDefault()).toInstant();
        model.addAttribute("workers", workers.load());
        model.addAttribute("runs", runs.counts(midnight));
        model.addAttribute(
                "studies", summaries.of(studies.list(0, LATEST_STUDIES).items()));
        return VIEW;
    }
}
