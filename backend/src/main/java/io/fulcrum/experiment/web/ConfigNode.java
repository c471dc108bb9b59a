package io.fulcrum.experiment.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A run's configuration as the structure it is, for the run page to fold by part: an object is a
 * section of its fields, a list of flat objects (the dataset's categorical columns, one per input)
 * is a table with a row per element, and anything else is one value ({@code [64, 32]} for a list of
 * numbers).
 *
 * @param value the value of a leaf; null for a section or a table
 * @param children a section's fields
 * @param columns a table's column names (the union of its elements' fields, in first-seen order)
 * @param rows a table's cells, row by row ("" where an element lacks a field)
 */
public record ConfigNode(
        String name, String value, List<ConfigNode> children, List<String> columns, List<List<String>> rows) {

    public boolean isLeaf() {
        return value != null;
    }

    public boolean isTable() {
        return columns != null;
    }

    /** What a folded section or table says about itself. */
    public String summary() {
        return isTable() ? name + " (" + rows.size() + ")" : name;
    }

    /** The sections and values of {@code object}'s fields; null fields are left out. */
    static List<ConfigNode> of(JsonNode object) {
        List<ConfigNode> nodes = new ArrayList<>();
        for (String field : object.propertyNames()) {
            JsonNode node = object.get(field);
            if (node != null && !node.isNull()) {
                nodes.add(node(field, node));
            }
        }
        return nodes;
    }

    private static ConfigNode node(String name, JsonNode node) {
        if (node.isObject()) {
            return new ConfigNode(name, null, of(node), null, null);
        }
        if (node.isArray() && !node.isEmpty() && flatObjects(node)) {
            Set<String> columns = new LinkedHashSet<>();
            node.forEach(element -> columns.addAll(element.propertyNames()));
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode element : node) {
                List<String> row = new ArrayList<>();
                for (String column : columns) {
                    JsonNode cell = element.get(column);
                    row.add(cell == null || cell.isNull() ? "" : text(cell));
                }
                rows.add(row);
            }
            return new ConfigNode(name, null, null, List.copyOf(columns), rows);
        }
        if (node.isArray() && containsContainers(node)) {
            List<ConfigNode> children = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                children.add(node(name + "[" + i + "]", node.get(i)));
            }
            return new ConfigNode(name, null, children, null, null);
        }
        return new ConfigNode(name, text(node), null, null, null);
    }

    static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : node.toString();
    }

    /** Every element an object whose fields are all plain values. */
    private static boolean flatObjects(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isObject() || containsContainers(element)) {
                return false;
            }
        }
        return true;
    }

    /** Whether an object or array holds an object or an array (anything more than plain values). */
    static boolean containsContainers(JsonNode node) {
        for (JsonNode child : node) {
            if (child.isObject() || child.isArray()) {
                return true;
            }
        }
        return false;
    }
}
