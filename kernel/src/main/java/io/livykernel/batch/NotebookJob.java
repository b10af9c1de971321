package io.livykernel.batch;

import java.util.List;

/**
 * A notebook turned into a batch job.
 *
 * @param source        the PySpark program: the code cells in order, after a preamble that creates
 *                      {@code spark} and {@code sc} as a Livy session would
 * @param configureBody the body of the notebook's %%configure cell (JSON, unchecked), or null
 * @param notes         what was left out or changed, one line each, for stderr
 */
public record NotebookJob(String source, String configureBody, List<String> notes) {
    public NotebookJob {
        notes = List.copyOf(notes);
    }
}
