package io.fulcrum.schedule.web;

import io.fulcrum.schedule.ScheduleRequest;
import io.fulcrum.schedule.ScheduleView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The schedule editor's fields: one text field per spec property, lists written comma-separated
 * ("1, 0.9") and piecewise values as rows separated by ";". Only the chosen type's fields go into the
 * spec, so the API's rules (and their paths, {@code spec.gamma[1]}) apply unchanged.
 */
public class ScheduleForm {

    /** The spec properties of each type, in the order the editor shows them. */
    static final Map<String, List<String>> FIELDS = Map.of(
            "constant", List.of("weights"),
            "exponential", List.of("initial", "gamma", "unit"),
            "warmup", List.of("start", "target", "length", "unit"),
            "piecewise", List.of("boundaries", "values", "unit"),
            "dwa", List.of("temperature"),
            "uncertainty", List.of("initialLogVariance"));

    static final List<String> TYPES = List.of("constant", "exponential", "warmup", "piecewise", "dwa", "uncertainty");
    private static final List<String> SCALARS = List.of("length", "temperature", "initialLogVariance", "unit");
    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,18}");

    private String name = "";
    private String description = "";
    private String type = "exponential";
    private String weights = "";
    private String initial = "";
    private String gamma = "";
    private String unit = "";
    private String start = "";
    private String target = "";
    private String length = "";
    private String boundaries = "";
    private String values = "";
    private String temperature = "";
    private String initialLogVariance = "";

    static ScheduleForm blank() {
        ScheduleForm form = new ScheduleForm();
        form.initial = "1, 1";
        form.gamma = "1, 0.9";
        return form;
    }

    static ScheduleForm from(ScheduleView schedule, JsonMapper json) {
        ScheduleForm form = new ScheduleForm();
        form.name = schedule.name();
        form.description = schedule.description() == null ? "" : schedule.description();
        JsonNode spec = json.valueToTree(schedule.spec());
        form.type = schedule.type();
        for (String property : spec.propertyNames()) {
            JsonNode value = spec.get(property);
            if (property.equals("type") || value == null || value.isNull()) {
                continue;
            }
            form.set(property, text(value));
        }
        return form;
    }

    private static String text(JsonNode value) {
        if (!value.isArray()) {
            return value.isString() ? value.stringValue() : value.toString();
        }
        String separator = value.size() > 0 && value.get(0).isArray() ? "; " : ", ";
        return StreamSupport.stream(value.spliterator(), false)
                .map(ScheduleForm::text)
                .collect(Collectors.joining(separator));
    }

    ScheduleRequest toRequest() {
        return new ScheduleRequest(name, description, spec());
    }

    /** The spec as the API takes it; a token that is not a number stays a string, for the API to name. */
    JsonNode spec() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode spec = nodes.objectNode();
        spec.put("type", type == null ? "" : type.strip());
        for (String property : FIELDS.getOrDefault(type, List.of())) {
            String given = get(property).strip();
            if (given.isEmpty()) {
                continue;
            }
            if (property.equals("unit")) {
                spec.put("unit", given);
            } else if (SCALARS.contains(property)) {
                spec.set(property, number(given));
            } else if (property.equals("values")) {
                ArrayNode rows = spec.putArray("values");
                for (String row : given.split(";", -1)) {
                    rows.add(list(row));
                }
            } else {
                spec.set(property, list(given));
            }
        }
        return spec;
    }

    private static ArrayNode list(String text) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        if (!text.isBlank()) {
            for (String token : text.split(",", -1)) {
                array.add(number(token.strip()));
            }
        }
        return array;
    }

    private static JsonNode number(String token) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (WHOLE.matcher(token).matches()) {
            return nodes.numberNode(Long.parseLong(token));
        }
        try {
            return nodes.numberNode(Double.parseDouble(token));
        } catch (NumberFormatException e) {
            return nodes.stringNode(token);
        }
    }

    /** The form field an API violation belongs to: {@code spec.gamma[1]} → gamma; null when none. */
    static String formField(String apiField) {
        if (apiField.equals("name") || apiField.equals("description")) {
            return apiField;
        }
        if (apiField.equals("spec") || apiField.equals("spec.type")) {
            return "type";
        }
        if (apiField.startsWith("spec.")) {
            String property = apiField.substring(5).replaceFirst("\\[.*$", "");
            return FIELDS.values().stream().anyMatch(f -> f.contains(property)) ? property : null;
        }
        return null;
    }

    private String get(String property) {
        Map<String, String> all = all();
        return all.getOrDefault(property, "");
    }

    private Map<String, String> all() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("weights", weights);
        all.put("initial", initial);
        all.put("gamma", gamma);
        all.put("unit", unit);
        all.put("start", start);
        all.put("target", target);
        all.put("length", length);
        all.put("boundaries", boundaries);
        all.put("values", values);
        all.put("temperature", temperature);
        all.put("initialLogVariance", initialLogVariance);
        all.replaceAll((k, v) -> v == null ? "" : v);
        return all;
    }

    private void set(String property, String value) {
        switch (property) {
            case "weights" -> weights = value;
            case "initial" -> initial = value;
            case "gamma" -> gamma = value;
            case "unit" -> unit = value;
            case "start" -> start = value;
            case "target" -> target = value;
            case "length" -> length = value;
            case "boundaries" -> boundaries = value;
            case "values" -> values = value;
            case "temperature" -> temperature = value;
            case "initialLogVariance" -> initialLogVariance = value;
            default -> {}
        }
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getWeights() {
        return weights;
    }

    public void setWeights(String weights) {
        this.weights = weights;
    }

    public String getInitial() {
        return initial;
    }

    public void setInitial(String initial) {
        this.initial = initial;
    }

    public String getGamma() {
        return gamma;
    }

    public void setGamma(String gamma) {
        this.gamma = gamma;
    }

    public String getUnit() {
        return unit;
    }

    public void setUnit(String unit) {
        this.unit = unit;
    }

    public String getStart() {
        return start;
    }

    public void setStart(String start) {
        this.start = start;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public String getLength() {
        return length;
    }

    public void setLength(String length) {
        this.length = length;
    }

    public String getBoundaries() {
        return boundaries;
    }

    public void setBoundaries(String boundaries) {
        this.boundaries = boundaries;
    }

    public String getValues() {
        return values;
    }

    public void setValues(String values) {
        this.values = values;
    }

    public String getTemperature() {
        return temperature;
    }

    public void setTemperature(String temperature) {
        this.temperature = temperature;
    }

    public String getInitialLogVariance() {
        return initialLogVariance;
    }

    public void setInitialLogVariance(String initialLogVariance) {
        this.initialLogVariance = initialLogVariance;
    }
}
