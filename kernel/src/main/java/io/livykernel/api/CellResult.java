package io.livykernel.api;

import com.google.gson.JsonObject;
import java.util.List;

/** How a cell ended. An error is shown as an iopub error message and an execute_reply with status error. */
public sealed interface CellResult {

    record Ok(List<JsonObject> payload) implements CellResult {
        public Ok {
            payload = List.copyOf(payload);
        }
    }

    record Error(String ename, String evalue, List<String> traceback) implements CellResult {
        public Error {
            traceback = List.copyOf(traceback);
        }
    }

    static Ok ok() {
        return new Ok(List.of());
    }

    static Error error(String ename, String evalue, List<String> traceback) {
        return new Error(ename, evalue, traceback);
    }

    /** The error a cell ends with when the user interrupted it. */
    static Error interrupted(String detail) {
        return new Error("KeyboardInterrupt", detail, List.of("KeyboardInterrupt: " + detail));
    }
}
