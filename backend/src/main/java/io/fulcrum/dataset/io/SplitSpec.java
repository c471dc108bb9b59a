package io.fulcrum.dataset.io;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** How rows are divided into train, validation and test. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "by")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SplitSpec.Random.class, name = "random"),
    @JsonSubTypes.Type(value = SplitSpec.ByColumn.class, name = "column")
})
public sealed interface SplitSpec {

    /** The split of a row: 0 train, 1 validation, 2 test; -1 when the row belongs to none. */
    int splitOf(long rowIndex, String columnValue);

    /** The column whose value decides, or null for a random split. */
    String column();

    /** Each row independently, by a hash of the seed and the row's index: the same file splits the same way. */
    record Random(long seed, double train, double validation, double test) implements SplitSpec {

        public static final Random DEFAULT = new Random(42, 0.7, 0.15, 0.15);

        @Override
        public int splitOf(long rowIndex, String columnValue) {
            double u = uniform(seed, rowIndex);
            double total = train + validation + test;
            if (u * total < train) {
                return 0;
            }
            return u * total < train + validation ? 1 : 2;
        }

        @Override
        public String column() {
            return null;
        }

        /** SplitMix64 finaliser: a well-mixed uniform in [0, 1) from (seed, index) with no state. */
        static double uniform(long seed, long index) {
            long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            return (z >>> 11) * 0x1.0p-53;
        }
    }

    /** By the value of one column, e.g. days 1–7 train, day 8 test, as in the paper. */
    record ByColumn(String column, List<String> train, List<String> validation, List<String> test)
            implements SplitSpec {

        public ByColumn {
            train = train == null ? List.of() : List.copyOf(train);
            validation = validation == null ? List.of() : List.copyOf(validation);
            test = test == null ? List.of() : List.copyOf(test);
        }

        @Override
        public int splitOf(long rowIndex, String columnValue) {
            String value = columnValue == null ? "" : columnValue.strip();
            if (train.contains(value)) {
                return 0;
            }
            if (validation.contains(value)) {
                return 1;
            }
            return test.contains(value) ? 2 : -1;
        }
    }
}
