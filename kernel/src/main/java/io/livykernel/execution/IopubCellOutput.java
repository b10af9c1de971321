package io.livykernel.execution;

import com.google.gson.JsonObject;
import io.livykernel.api.CellOutput;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import io.livykernel.messages.Message;
import io.livykernel.messages.MessageFactory;
import io.livykernel.protocol.Channel;

/** A cell's outputs as iopub messages whose parent is the execute_request; silent cells publish nothing. */
final class IopubCellOutput implements CellOutput {
    private final MessageFactory messages;
    private final Outbound outbound;
    private final InputBroker input;
    private final Message request;
    private final boolean silent;
    private final boolean allowStdin;
    private final int executionCount;
    private String resultText;

    IopubCellOutput(MessageFactory messages, Outbound outbound, InputBroker input, Message request,
                    boolean silent, boolean allowStdin, int executionCount) {
        this.messages = messages;
        this.outbound = outbound;
        this.input = input;
        this.request = request;
        this.silent = silent;
        this.allowStdin = allowStdin;
        this.executionCount = executionCount;
    }

    @Override
    public void stream(Stream stream, String text) {
        if (text.isEmpty()) {
            return;
        }
        JsonObject c = new JsonObject();
        c.addProperty("name", stream.wireName());
        c.addProperty("text", text);
        publish("stream", c);
    }

    @Override
    public void display(MimeBundle data, JsonObject metadata, String displayId) {
        publish("display_data", displayContent(data, metadata, displayId));
    }

    @Override
    public void updateDisplay(MimeBundle data, JsonObject metadata, String displayId) {
        if (displayId == null) {
            throw new IllegalArgumentException("update_display_data needs a display_id");
        }
        publish("update_display_data", displayContent(data, metadata, displayId));
    }

    @Override
    public void result(MimeBundle data, JsonObject metadata) {
        resultText = data.plainText();
        JsonObject c = new JsonObject();
        c.addProperty("execution_count", executionCount);
        c.add("data", data.toJson());
        c.add("metadata", metadata == null ? new JsonObject() : metadata.deepCopy());
        publish("execute_result", c);
    }

    @Override
    public void clearOutput(boolean wait) {
        JsonObject c = new JsonObject();
        c.addProperty("wait", wait);
        publish("clear_output", c);
    }

    @Override
    public String input(String prompt, boolean password) throws InterruptedException, UserFacingException {
        if (!allowStdin) {
            throw new UserFacingException("StdinNotImplementedError",
                    "This frontend does not support input requests (allow_stdin is false), so the cell"
                            + " cannot ask for input here. Run it from a notebook or console that can answer.");
        }
        return input.request(request, prompt, password);
    }

    /** The text/plain of the execute_result, kept for history_request with output=true. */
    String resultText() {
        return resultText;
    }

    private static JsonObject displayContent(MimeBundle data, JsonObject metadata, String displayId) {
        JsonObject c = new JsonObject();
        c.add("data", data.toJson());
        c.add("metadata", metadata == null ? new JsonObject() : metadata.deepCopy());
        JsonObject transient_ = new JsonObject();
        if (displayId != null) {
            transient_.addProperty("display_id", displayId);
        }
        c.add("transient", transient_);
        return c;
    }

    private void publish(String type, JsonObject content) {
        if (!silent) {
            outbound.send(Channel.IOPUB, messages.publish(request.header().toJson(), type, content));
        }
    }
}
