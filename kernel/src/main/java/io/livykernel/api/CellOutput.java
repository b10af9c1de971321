package io.livykernel.api;

import com.google.gson.JsonObject;

/**
 * Where a running cell sends what the notebook shows. Backends and magics write here; the kernel turns
 * each call into the matching iopub message with the request as parent (or nothing for silent cells).
 */
public interface CellOutput {
    enum Stream {
        STDOUT, STDERR;

        public String wireName() {
            return this == STDOUT ? "stdout" : "stderr";
        }
    }

    void stream(Stream stream, String text);

    default void print(String text) {
        stream(Stream.STDOUT, text);
    }

    /** display_data; {@code displayId} (may be null) lets later {@link #updateDisplay} calls replace it. */
    void display(MimeBundle data, JsonObject metadata, String displayId);

    default void display(MimeBundle data) {
        display(data, new JsonObject(), null);
    }

    /** update_display_data for an earlier display with the same id. */
    void updateDisplay(MimeBundle data, JsonObject metadata, String displayId);

    /** execute_result: the cell's value, numbered with the cell's execution count. */
    void result(MimeBundle data, JsonObject metadata);

    void clearOutput(boolean wait);

    /** Asks the user for a line of input through the frontend's stdin channel. */
    String input(String prompt, boolean password) throws InterruptedException, UserFacingException;
}
