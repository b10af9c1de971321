package io.livykernel.backend.livy;

import com.google.gson.JsonObject;
import io.livykernel.api.CellOutput;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A CellOutput that remembers what a cell showed, in order. */
public final class RecordingOutput implements CellOutput {
    record Shown(String kind, String text, MimeBundle data, String displayId) {
    }

    final List<Shown> shown = new CopyOnWriteArrayList<>();

    public String stdout() {
        StringBuilder out = new StringBuilder();
        shown.stream().filter(s -> s.kind.equals("stdout")).forEach(s -> out.append(s.text));
        return out.toString();
    }

    public List<MimeBundle> displays() {
        return shown.stream().filter(s -> s.kind.equals("display")).map(Shown::data).toList();
    }

    @Override
    public void stream(Stream stream, String text) {
        shown.add(new Shown(stream.wireName(), text, null, null));
    }

    @Override
    public void display(MimeBundle data, JsonObject metadata, String displayId) {
        shown.add(new Shown("display", null, data, displayId));
    }

    @Override
    public void updateDisplay(MimeBundle data, JsonObject metadata, String displayId) {
        shown.add(new Shown("update", null, data, displayId));
    }

    @Override
    public void result(MimeBundle data, JsonObject metadata) {
        shown.add(new Shown("result", null, data, null));
    }

    @Override
    public void clearOutput(boolean wait) {
        shown.add(new Shown("clear", null, null, null));
    }

    @Override
    public String input(String prompt, boolean password) throws UserFacingException {
        throw new UserFacingException("StdinNotImplementedError", "no input in tests");
    }
}
