package io.fulcrum.dataset;

import static io.fulcrum.dataset.io.ColumnRole.CATEGORICAL;
import static io.fulcrum.dataset.io.ColumnRole.DENSE;
import static io.fulcrum.dataset.io.ColumnRole.IGNORED;
import static io.fulcrum.dataset.io.ColumnRole.WEIGHT;

import io.fulcrum.dataset.io.ColumnRole;
import io.fulcrum.dataset.io.ColumnSchema;
import java.util.List;

/** The 42 columns of the KDD census-income files, in file order, with the roles of the two-task setup. */
final class CensusIncomeColumns {

    static final List<ColumnSchema> SCHEMA = List.of(
            new ColumnSchema("age", DENSE),
            new ColumnSchema("class_of_worker", CATEGORICAL),
            new ColumnSchema("industry_code", CATEGORICAL),
            new ColumnSchema("occupation_code", CATEGORICAL),
            new ColumnSchema("education", IGNORED),
            new ColumnSchema("wage_per_hour", DENSE),
            new ColumnSchema("enrolled_in_education", CATEGORICAL),
            new ColumnSchema("never_married", ColumnRole.LABEL, List.of("Never married")),
            new ColumnSchema("major_industry", CATEGORICAL),
            new ColumnSchema("major_occupation", CATEGORICAL),
            new ColumnSchema("race", CATEGORICAL),
            new ColumnSchema("hispanic_origin", CATEGORICAL),
            new ColumnSchema("sex", CATEGORICAL),
            new ColumnSchema("labor_union_member", CATEGORICAL),
            new ColumnSchema("unemployment_reason", CATEGORICAL),
            new ColumnSchema("employment_status", CATEGORICAL),
            new ColumnSchema("capital_gains", DENSE),
            new ColumnSchema("capital_losses", DENSE),
            new ColumnSchema("stock_dividends", DENSE),
            new ColumnSchema("tax_filer_status", CATEGORICAL),
            new ColumnSchema("previous_region", CATEGORICAL),
            new ColumnSchema("previous_state", CATEGORICAL),
            new ColumnSchema("household_family_status", CATEGORICAL),
            new ColumnSchema("household_summary", CATEGORICAL),
            new ColumnSchema("instance_weight", WEIGHT),
            new ColumnSchema("migration_msa", CATEGORICAL),
            new ColumnSchema("migration_region", CATEGORICAL),
            new ColumnSchema("migration_within_region", CATEGORICAL),
            new ColumnSchema("same_house_last_year", CATEGORICAL),
            new ColumnSchema("previous_residence_sunbelt", CATEGORICAL),
            new ColumnSchema("persons_worked_for_employer", DENSE),
            new ColumnSchema("family_members_under_18", CATEGORICAL),
            new ColumnSchema("father_birth_country", CATEGORICAL),
            new ColumnSchema("mother_birth_country", CATEGORICAL),
            new ColumnSchema("birth_country", CATEGORICAL),
            new ColumnSchema("citizenship", CATEGORICAL),
            new ColumnSchema("self_employed", CATEGORICAL),
            new ColumnSchema("veterans_questionnaire", CATEGORICAL),
            new ColumnSchema("veterans_benefits", CATEGORICAL),
            new ColumnSchema("weeks_worked", DENSE),
            new ColumnSchema("year", CATEGORICAL),
            new ColumnSchema("income", ColumnRole.LABEL, List.of("50000+.")));

    private CensusIncomeColumns() {}
}
