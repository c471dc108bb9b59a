package io.fulcrum.dataset;

import io.fulcrum.dataset.io.ColumnRole;
import io.fulcrum.dataset.io.ColumnSchema;
import io.fulcrum.dataset.io.CsvFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Known public layouts, so a user only points at the file. Names in the API: {@code census-income},
 * {@code ali-ccp}, {@code aliexpress}.
 */
public enum DatasetPreset {

    /**
     * UCI census-income (KDD), 42 columns without a header (brief §8). Task 1: income over 50K; task 2:
     * never married. Marital status becomes the second label and education is dropped, as in the MMoE
     * setup; the instance weight is kept as the sample weight, never as a feature.
     */
    CENSUS_INCOME("census-income", new CsvFormat(',', false)) {
        @Override
        public List<ColumnSchema> schema(List<String> fileColumns) {
            return CensusIncomeColumns.SCHEMA;
        }
    },

    /** Ali-CCP as preprocessed by public libraries: click, purchase, sparse ids, D-prefixed dense floats. */
    ALI_CCP("ali-ccp", CsvFormat.COMMA_WITH_HEADER) {
        @Override
        public List<ColumnSchema> schema(List<String> fileColumns) {
            return byHeader(fileColumns, Set.of("click", "purchase"), Set.of(), name -> name.startsWith("D"));
        }
    },

    /** AliExpress as preprocessed by public libraries: search_id, categorical_*, numerical_*, click, conversion. */
    ALIEXPRESS("aliexpress", CsvFormat.COMMA_WITH_HEADER) {
        @Override
        public List<ColumnSchema> schema(List<String> fileColumns) {
            return byHeader(
                    fileColumns,
                    Set.of("click", "conversion"),
                    Set.of("search_id"),
                    name -> name.startsWith("numerical"));
        }
    };

    private final String apiName;
    private final CsvFormat format;

    DatasetPreset(String apiName, CsvFormat format) {
        this.apiName = apiName;
        this.format = format;
    }

    public String apiName() {
        return apiName;
    }

    public CsvFormat format() {
        return format;
    }

    /** The schema for a file whose header (or, without one, positional names) is {@code fileColumns}. */
    public abstract List<ColumnSchema> schema(List<String> fileColumns);

    public static DatasetPreset byApiName(String name) {
        for (DatasetPreset preset : values()) {
            if (preset.apiName.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return preset;
            }
        }
        return null;
    }

    public static List<String> apiNames() {
        return java.util.Arrays.stream(values()).map(DatasetPreset::apiName).toList();
    }

    private static List<ColumnSchema> byHeader(
            List<String> names, Set<String> labels, Set<String> ignored, java.util.function.Predicate<String> dense) {
        List<ColumnSchema> schema = new ArrayList<>();
        for (String name : names) {
            ColumnRole role;
            if (labels.contains(name)) {
                role = ColumnRole.LABEL;
            } else if (ignored.contains(name)) {
                role = ColumnRole.IGNORED;
            } else {
                role = dense.test(name) ? ColumnRole.DENSE : ColumnRole.CATEGORICAL;
            }
            schema.add(new ColumnSchema(name, role));
        }
        return schema;
    }
}
