package io.fulcrum.experiment.web;

import io.fulcrum.dataset.DatasetManagement;
import io.fulcrum.experiment.Comparison;
import io.fulcrum.experiment.StudyComparisons;
import io.fulcrum.experiment.StudyView;
import io.fulcrum.mtl.metric.Tolerance;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.taskgroup.TaskGroupManagement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.springframework.stereotype.Component;

/** What the study list, the study page and the overview show about a study beside its runs. */
@Component
class StudySummaries {

    /**
     * @param verdicts per model (baselines left out) its seesaw verdict, or "" while no seed is done
     * @param done runs finished, of {@code total}
     */
    public record Summary(
            StudyView study,
            String taskGroup,
            String dataset,
            Map<String, String> verdicts,
            int done,
            int total,
            boolean complete,
            int percent) {}

    private final StudyComparisons comparisons;
    private final TaskGroupManagement taskGroups;
    private final DatasetManagement datasets;

    StudySummaries(StudyComparisons comparisons, TaskGroupManagement taskGroups, DatasetManagement datasets) {
        this.comparisons = comparisons;
        this.taskGroups = taskGroups;
        this.datasets = datasets;
    }

    List<Summary> of(List<StudyView> studies) {
        Map<Long, String> groupNames = new HashMap<>();
        Map<Long, String> datasetNames = new HashMap<>();
        return studies.stream()
                .map(s -> summary(
                        s,
                        groupNames.computeIfAbsent(
                                s.taskGroupId(), name(id -> taskGroups.get(id).name())),
                        datasetNames.computeIfAbsent(
                                s.datasetId(), name(id -> datasets.get(id).name()))))
                .toList();
    }

    private Summary summary(StudyView study, String group, String dataset) {
        Comparison comparison = comparisons.comparison(study.id(), Tolerance.ZERO);
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (Comparison.ModelRow row : comparison.models()) {
            if (!"single".equals(row.model())) {
                verdicts.put(
                        row.model(), row.verdict() == null ? "" : row.verdict().name());
            }
        }
        int done = (int) study.runs().stream().filter(r -> r.state().finished()).count();
        int total = study.runs().size();
        return new Summary(
                study, group, dataset, verdicts, done, total, done == total, total == 0 ? 100 : 100 * done / total);
    }

    private static java.util.function.Function<Long, String> name(LongFunction<String> lookup) {
        return id -> {
            try {
                return lookup.apply(id);
            } catch (NotFoundException e) {
                return "#" + id + " (deleted)";
            }
        };
    }
}
