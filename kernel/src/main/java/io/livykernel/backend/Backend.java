package io.livykernel.backend;

import com.google.gson.JsonObject;
import io.livykernel.api.Cell;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.Completeness;
import io.livykernel.api.Completion;
import io.livykernel.api.Inspection;
import java.util.Map;

/**
 * Something that runs cells: the embedded local Python, or a remote Spark driver through Livy.
 * {@link #execute} is only ever called from the kernel's execution thread, one cell at a time;
 * {@link #interrupt} comes from the control thread while a cell runs; completion, inspection and
 * is_complete come from the shell lane concurrently with a running cell and must answer promptly.
 */
public interface Backend extends AutoCloseable {

    /** One line for users, e.g. "local Python 3.11.2 (/usr/bin/python3, IPython 8.5.0)". */
    String description();

    /** Starts whatever takes time (a child process) in the background, so the first cell is quick. */
    default void warmUp() {
    }

    CellResult execute(Cell cell, CellOutput out) throws InterruptedException;

    /** Asks the running cell, if any, to stop. Returns at once. */
    void interrupt();

    default Completion complete(String code, int cursorPos) {
        return Completion.none(cursorPos);
    }

    default Inspection inspect(String code, int cursorPos, int detailLevel) {
        return Inspection.notFound();
    }

    /** The backend's own answer, or null to let the kernel judge the Python code itself. */
    default Completeness isComplete(String code) {
        return null;
    }

    /** Evaluates execute_request user_expressions after the cell; each value is {status, data, metadata}. */
    default Map<String, JsonObject> evaluate(Map<String, String> expressions) {
        return Map.of();
    }

    /** True when the backend is IPython and runs IPython's own %magics itself. */
    default boolean understandsIPythonMagics() {
        return false;
    }

    /** Releases everything the backend holds (processes, remote sessions); must finish in about a second. */
    @Override
    void close();
}
