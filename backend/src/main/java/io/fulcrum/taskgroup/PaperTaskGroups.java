package io.fulcrum.taskgroup;

import java.util.List;

/**
 * The task groups of the PLE paper's experiments (brief §6–8) and of the public datasets peers use
 * (brief §9), offered to every new installation.
 */
final class PaperTaskGroups {

    private PaperTaskGroups() {}

    static List<TaskGroupRequest> paper() {
        return List.of(
                new TaskGroupRequest(
                        "VTR+VCR",
                        "Video recommendation with complex correlation: valid view (VTR, AUC) and view completion"
                                + " ratio (VCR, MSE). PLE paper, Table 1.",
                        List.of(vtr(), vcr())),
                new TaskGroupRequest(
                        "CTR+VCR",
                        "Video recommendation with normal correlation: click (CTR, AUC) and view completion ratio"
                                + " (VCR, MSE). PLE paper, Table 2.",
                        List.of(binary("ctr", "click", null), vcr())),
                new TaskGroupRequest(
                        "VTR+VCR+SHR+CMR",
                        "Four video tasks; share and comment only exist after a click, so their losses count"
                                + " clicked samples only. PLE paper, Table 4.",
                        List.of(
                                vtr(),
                                vcr(),
                                binary("shr", "share", SampleSpace.ofColumn("click")),
                                binary("cmr", "comment", SampleSpace.ofColumn("click")))),
                new TaskGroupRequest(
                        "Census-income",
                        "UCI census-income (KDD): income over 50K and never married; marital status is removed"
                                + " from the inputs. PLE paper, Table 5.",
                        List.of(binary("income", "income", null), binary("never_married", "never_married", null))),
                new TaskGroupRequest(
                        "Synthetic",
                        "Two regression tasks with controlled correlation (MMoE recipe, brief §7). PLE paper, Fig. 7.",
                        List.of(regression("y1", "y1"), regression("y2", "y2"))));
    }

    /** Ali-CCP and AliExpress: conversion only exists after a click, so CVR learns in the click space. */
    static List<TaskGroupRequest> publicDatasets() {
        return List.of(
                new TaskGroupRequest(
                        "Ali-CCP",
                        "Taobao click then purchase (preset ali-ccp): CTR on every impression, CVR on clicked ones."
                                + " PLE paper, Table 5.",
                        List.of(binary("ctr", "click", null), binary("cvr", "purchase", SampleSpace.ofTask("ctr")))),
                new TaskGroupRequest(
                        "AliExpress",
                        "AliExpress search click then conversion (preset aliexpress): CVR on clicked impressions.",
                        List.of(binary("ctr", "click", null), binary("cvr", "conversion", SampleSpace.ofTask("ctr")))));
    }

    private static TaskGroupRequest.TaskRequest vtr() {
        return binary("vtr", "valid_view", null);
    }

    private static TaskGroupRequest.TaskRequest vcr() {
        return regression("vcr", "completion_ratio");
    }

    private static TaskGroupRequest.TaskRequest binary(String name, String label, SampleSpace sampleSpace) {
        return new TaskGroupRequest.TaskRequest(name, "BINARY", label, "BCE", "AUC", sampleSpace, 1.0, 1.0);
    }

    private static TaskGroupRequest.TaskRequest regression(String name, String label) {
        return new TaskGroupRequest.TaskRequest(name, "REGRESSION", label, "MSE", "MSE", null, 1.0, 1.0);
    }
}
