package io.livykernel.execution;

import io.livykernel.api.Cell;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.Completion;
import io.livykernel.api.ErrorReporter;
import io.livykernel.backend.Backend;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A backend whose cells are commands, for driving the kernel server without Python or Livy:
 * {@code print TEXT}, {@code fail}, {@code block} (until interrupted), {@code gate} (until the test opens
 * it), {@code throw NAME} (a Throwable, Errors included). Records what ran and whether it was closed.
 */
final class StubBackend implements Backend {
    final List<String> ran = new CopyOnWriteArrayList<>();
    final CountDownLatch gate = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private volatile CountDownLatch running = new CountDownLatch(1);

    @Override
    public String description() {
        return "stub backend";
    }

    @Override
    public CellResult execute(Cell cell, CellOutput out) throws InterruptedException {
        String code = cell.code();
        ran.add(code);
        running.countDown();
        if (code.startsWith("print ")) {
            out.print(code.substring("print ".length()));
            return CellResult.ok();
        }
        if (code.startsWith("throw ")) {
            throw throwable(code.substring("throw ".length()));
        }
        return switch (code) {
            case "fail" -> ErrorReporter.describe("StubError", "the stub failed on purpose");
            case "block" -> {
                interrupted.await();
                throw new InterruptedException("interrupted");
            }
            case "gate" -> {
                gate.await();
                yield CellResult.ok();
            }
            default -> CellResult.ok();
        };
    }

    /** Waits until a cell has started running. */
    void awaitRunning() throws InterruptedException {
        if (!running.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no cell started running");
        }
    }

    @Override
    public Completion complete(String code, int cursorPos) {
        if (code.startsWith("throw ")) {
            throw throwable(code.substring("throw ".length()));
        }
        return Completion.none(cursorPos);
    }

    @Override
    public void interrupt() {
        interrupted.countDown();
    }

    @Override
    public void close() {
        closed.countDown();
    }

    static RuntimeException throwable(String name) {
        Supplier<Throwable> made = switch (name) {
            case "StackOverflowError" -> StackOverflowError::new;
            case "OutOfMemoryError" -> () -> new OutOfMemoryError("Java heap space");
            case "AssertionError" -> () -> new AssertionError("an assertion failed");
            case "LinkageError" -> () -> new NoClassDefFoundError("some/Missing");
            default -> () -> new IllegalStateException("stub " + name);
        };
        return sneaky(made.get());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
