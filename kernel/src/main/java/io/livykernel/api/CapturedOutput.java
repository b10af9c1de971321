package io.livykernel.api;

import com.google.gson.JsonObject;

/**
 * The output of code the kernel runs for itself (moving data, user_expressions): what it prints on stdout is
 * kept (it is the answer), what it writes on stderr (warnings) is passed on, and anything it displays is dropped.
 */
public final class CapturedOutput implements CellOutput {
    private final StringBuilder stdout = new StringBuilder();
    private final CellOutput cell;

    /** @param cell where stderr goes; null drops it too */
    public CapturedOutput(CellOutput cell) {
        this.cell = cell;
    }

    public String stdout() {
        return stdout.toString();
    }

    @Override
    public void stream(Stream stream, String text) {
        if (stream == Stream.STDOUT) {
            stdout.append(text);
        } else if (cell != null) {
            cell.stream(stream, text);
        }
    }

    @Override
    public void display(MimeBundle data, JsonObject metadata, String displayId) {
        // helper code shows nothing
    }

    @Override
    public void updateDisplay(MimeBundle data, JsonObject metadata, String displayId) {
        // helper code shows nothing
    }

    @Override
    public void result(MimeBundle data, JsonObject metadata) {
        // helper code shows nothing
    }

    @Override
    public void clearOutput(boolean wait) {
        // helper code shows nothing
    }

    @Override
    public String input(String prompt, boolean password) throws UserFacingException {
        throw new UserFacingException("StdinNotImplementedError", "code the kernel runs for itself cannot ask for input");
    }
}
