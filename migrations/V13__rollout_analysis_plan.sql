-- How an A/B experiment is analysed: {analysis: fixed|sequential, correction: none|holm|
-- benjamini-hochberg, preExposure: ISO-8601 duration of CUPED's window before the start,
-- plannedUsersPerVariant: null or the planned users per variant}. Experiments stored before this
-- column existed keep what they were read with: fixed, uncorrected; CUPED is added with the
-- default window, as it only narrows intervals.
ALTER TABLE ab_experiment
    ADD COLUMN analysis_plan JSONB NOT NULL
        DEFAULT '{"analysis": "fixed", "correction": "none", "preExposure": "P14D", "plannedUsersPerVariant": null}';
