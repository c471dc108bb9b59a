package io.fulcrum.experiment.web;

import io.fulcrum.experiment.RunView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run's configuration (model spec, training, loss weights, resources): as a structure to show
 * ({@code tree}, folded by part on the run page), and flattened into one row per leaf ({@code
 * model.experts.units = [8]}) so that two runs can be compared field by field.
 */
record RunConfig(Map<String, String> fields, List<ConfigNode> tree) {

    /** One field of two runs; {@code left} or {@code right} is "—" where a run lacks it. */
    record Difference(String field, String left, String right) {}

    static RunConfig of(RunView run, JsonMapper json) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("label", run.label());
        parts.put("taskGroupId", run.taskGroupId());
        parts.put("datasetId", run.datasetId());
        parts.put("model", run.model());
        parts.put("training", run.training());
        parts.put("lossWeights", run.lossWeights());
        parts.put(
                "lossWeightSchedule",
                run.lossWeightScheduleId() == null
                        ? null
                        : run.lossWeightScheduleId() + " v" + run.lossWeightScheduleVersion());
        parts.put("resources", run.resources());
        parts.put("priority", run.priority());
        parts.put("maxAttempts", run.maxAttempts());
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode all = json.valueToTree(parts);
        flatten("", all, fields);
        return new RunConfig(fields, ConfigNode.of(all));
    }

    /** Objects open up into their fields; arrays of plain values stay one field, e.g. [64, 32]. */
    private static void flatten(String path, JsonNode node, Map<String, String> into) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isObject()) {
            for (String name : node.propertyNames()) {
                flatten(path.isEmpty() ? name : path + "." + name, node.get(name), into);
            }
        } else if (node.isArray() && ConfigNode.containsContainers(node)) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), into);
            }
        } else {
            into.put(path, ConfigNode.text(node));
        }
    }

    /** The fields whose values differ, in this run's order, then those only the other run has. */
    List<Difference> differencesFrom(RunConfig other) {
        Set<String> names = new LinkedHashSet<>(fields.keySet());
        names.addAll(other.fields.keySet());
        List<Difference> differences = new ArrayList<>();
        for (String name : names) {
            String left = fields.get(name);
            String right = other.fields.get(name);
            if (!Objects.equals(left, right)) {
                differences.add(new Difference(name, left == null ? "—" : left, right == null ? "—" : right));
            }
        }
        return differences;
    }
}
