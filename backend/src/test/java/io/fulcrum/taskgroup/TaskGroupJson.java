package io.fulcrum.taskgroup;

/** Request bodies for the task-group API tests, written as a client would write them. */
final class TaskGroupJson {

    private TaskGroupJson() {}

    static String group(String name, String... tasks) {
        return """
                {"name": "%s", "description": "test group", "tasks": [%s]}""".formatted(name, String.join(",", tasks));
    }

    static String binaryTask(String name) {
        return """
                {"name": "%s", "kind": "BINARY", "labelColumn": "%s_label"}""".formatted(name, name);
    }

    static String regressionTask(String name) {
        return """
                {"name": "%s", "kind": "REGRESSION", "labelColumn": "%s_label", "loss": "MSE", "metric": "MAE",
                 "initialWeight": 0.5, "updateRatio": 0.9}""".formatted(name, name);
    }

    static String taskInSpaceOf(String name, String spaceTask) {
        return """
                {"name": "%s", "kind": "BINARY", "labelColumn": "%s", "sampleSpace": {"task": "%s"}}""".formatted(name, name, spaceTask);
    }
}
