package io.livykernel.magic;

import com.google.gson.JsonObject;
import io.livykernel.api.Cell;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.MimeBundle;
import io.livykernel.backend.Backend;
import io.livykernel.config.KernelConfig;
import io.livykernel.extension.KernelContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A kernel context whose backends only record the cells they are asked to run. */
final class FakeKernel implements KernelContext {
    final RecordingBackend primary;
    final RecordingBackend local;

    private FakeKernel(RecordingBackend primary, RecordingBackend local) {
        this.primary = primary;
        this.local = local;
    }

    /** Livy-like: a remote primary that does not run IPython magics, plus a separate local Python. */
    static FakeKernel withRemotePrimary() {
        return new FakeKernel(new RecordingBackend("remote", false), new RecordingBackend("local", true));
    }

    /** No Livy: the local IPython is the primary backend. */
    static FakeKernel withIPythonPrimary() {
        RecordingBackend ipython = new RecordingBackend("local", true);
        return new FakeKernel(ipython, ipython);
    }

    static Cell cell(String code) {
        return new Cell(code, false, true, true, 7, Map.of());
    }

    @Override
    public Backend primaryBackend() {
        return primary;
    }

    @Override
    public Backend localBackend() {
        return local;
    }

    @Override
    public KernelConfig config() {
        return KernelConfig.defaults();
    }

    static final class RecordingBackend implements Backend {
        final List<Cell> executed = new ArrayList<>();
        private final String name;
        private final boolean ipython;

        RecordingBackend(String name, boolean ipython) {
            this.name = name;
            this.ipython = ipython;
        }

        @Override
        public String description() {
            return name;
        }

        @Override
        public CellResult execute(Cell cell, CellOutput out) {
            executed.add(cell);
            out.print("ran on " + name);
            return CellResult.ok();
        }

        @Override
        public void interrupt() {
        }

        @Override
        public boolean understandsIPythonMagics() {
            return ipython;
        }

        @Override
        public void close() {
        }
    }

    /** A cell's outputs as the notebook would show them. */
    static final class RecordingOutput implements CellOutput {
        final StringBuilder stdout = new StringBuilder();
        final List<MimeBundle> displays = new ArrayList<>();

        @Override
        public void stream(Stream stream, String text) {
            stdout.append(text);
        }

        @Override
        public void display(MimeBundle data, JsonObject metadata, String displayId) {
            displays.add(data);
        }

        @Override
        public void updateDisplay(MimeBundle data, JsonObject metadata, String displayId) {
            throw new AssertionError("no magic updates displays here");
        }

        @Override
        public void result(MimeBundle data, JsonObject metadata) {
            displays.add(data);
        }

        @Override
        public void clearOutput(boolean wait) {
        }

        @Override
        public String input(String prompt, boolean password) {
            throw new AssertionError("no magic asks for input here");
        }
    }
}
