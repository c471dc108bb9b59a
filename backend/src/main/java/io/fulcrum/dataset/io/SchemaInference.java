package io.fulcrum.dataset.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Guesses each column's role from its name and a sample of its values. A guess only: the user can
 * override any role before the import.
 *
 * <ul>
 *   <li>non-numeric values → categorical;
 *   <li>a name that reads like a label (click, purchase, conversion, label, …) with values 0/1, or a
 *       name that starts with {@code label}/{@code y} followed by digits → label;
 *   <li>a name that reads like an id or a category, or integer values with few distinct levels →
 *       categorical;
 *   <li>a name that reads like a weight → weight;
 *   <li>any other number → dense.
 * </ul>
 */
final class SchemaInference {

    private static final Pattern LABEL_NAME = Pattern.compile(
            "(label.*|target.*|y\\d*|click|clicked|purchase|purchased|conversion|converted|buy|like|share|comment"
                    + "|valid_view|completion_ratio|finish|follow|income.*|never_married)");
    private static final Pattern CATEGORICAL_NAME =
            Pattern.compile("(.*_id|id|.*categor.*|.*_cat|cat_.*|c\\d+|[a-z]*_?\\d*_?sparse.*|.*bucket.*|[0-9]{3}.*)");
    private static final Pattern WEIGHT_NAME = Pattern.compile("(.*weight.*)");
    private static final int FEW_LEVELS = 64;

    private SchemaInference() {}

    static List<ColumnSchema> infer(List<String> names, List<List<String>> rows) {
        List<ColumnSchema> schema = new ArrayList<>(names.size());
        boolean weighted = false;
        for (int c = 0; c < names.size(); c++) {
            ColumnRole role = guess(names.get(c), values(rows, c));
            if (role == ColumnRole.WEIGHT && weighted) {
                role = ColumnRole.DENSE; // a sample has one weight: a second "weight" column is a feature
            }
            weighted |= role == ColumnRole.WEIGHT;
            schema.add(new ColumnSchema(names.get(c), role));
        }
        return schema;
    }

    private static List<String> values(List<List<String>> rows, int column) {
        List<String> values = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (column < row.size() && !row.get(column).isBlank()) {
                values.add(row.get(column).strip());
            }
        }
        return values;
    }

    static ColumnRole guess(String rawName, List<String> values) {
        String name = rawName.strip().toLowerCase(Locale.ROOT);
        boolean numeric = !values.isEmpty() && values.stream().allMatch(SchemaInference::isNumber);
        Set<String> levels = new HashSet<>(values);
        if (numeric && LABEL_NAME.matcher(name).matches()) {
            return ColumnRole.LABEL;
        }
        if (numeric && WEIGHT_NAME.matcher(name).matches()) {
            return ColumnRole.WEIGHT;
        }
        if (!numeric || CATEGORICAL_NAME.matcher(name).matches()) {
            return ColumnRole.CATEGORICAL;
        }
        boolean integers = values.stream().allMatch(v -> v.matches("-?\\d+"));
        if (integers && levels.size() <= FEW_LEVELS && levels.size() < values.size() / 2) {
            return ColumnRole.CATEGORICAL;
        }
        return ColumnRole.DENSE;
    }

    static boolean isNumber(String value) {
        try {
            return Float.isFinite(Float.parseFloat(value));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
