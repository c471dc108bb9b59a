package io.fulcrum.dataset.io;

import java.util.List;

/** The import failed as a whole; nothing of it was kept. */
public class ImportRejectedException extends RuntimeException {

    private final List<ImportProblem> problems;

    public ImportRejectedException(String message, List<ImportProblem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<ImportProblem> problems() {
        return problems;
    }
}
