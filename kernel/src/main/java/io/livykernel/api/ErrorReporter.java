package io.livykernel.api;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where exceptions become what the user sees. Expected failures
 * ({@link UserFacingException}) are shown with their own words; anything else is an internal error:
 * logged with its stack trace under an incident id, shown as one line that cites the id.
 */
public final class ErrorReporter {
    private static final Logger LOG = Logger.getLogger(ErrorReporter.class.getName());
    private static final String RED = "\u001b[0;31m";
    private static final String RESET = "\u001b[0m";

    private ErrorReporter() {
    }

    public static CellResult.Error toCellError(Throwable failure) {
        if (failure instanceof UserFacingException expected) {
            return describe(expected.errorName(), expected.getMessage());
        }
        if (failure instanceof InterruptedException) {
            return CellResult.interrupted("the cell was interrupted");
        }
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.log(Level.SEVERE, "internal error " + incident, failure);
        String what = failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        String headline;
        if (failure instanceof OutOfMemoryError) {
            headline = "livy-kernel ran out of memory (" + what + "), for example on a very large answer. The kernel"
                    + " is still running, but if it runs out of memory again soon it exits (restart it then).";
        } else if (failure instanceof StackOverflowError) {
            headline = "livy-kernel ran out of stack (" + what + "), for example on a deeply nested answer."
                    + " The kernel is still running.";
        } else {
            headline = "livy-kernel hit an internal error (" + what + "). The kernel is still running.";
        }
        return describe("InternalError", headline + " Details are in the kernel log under incident " + incident
                + "; please report it.");
    }

    /** What the cell shows when its failure left the JVM unusable and the kernel is about to exit. */
    public static CellResult.Error exiting(Throwable failure) {
        LOG.log(Level.SEVERE, "the JVM is no longer usable", failure);
        return describe("KernelExiting", "livy-kernel ran out of memory again (" + failure.getClass().getSimpleName()
                + ") and exits now, since its JVM is no longer reliable. Restart the kernel; if a cell's answer"
                + " is very large, ask for less of it (e.g. df.limit(...)).");
    }

    /** An error whose traceback is the message itself, coloured like Python's, one entry per line. */
    public static CellResult.Error describe(String ename, String message) {
        List<String> traceback = new ArrayList<>();
        String[] lines = message.split("\n", -1);
        traceback.add(RED + ename + RESET + ": " + lines[0]);
        for (int i = 1; i < lines.length; i++) {
            traceback.add(lines[i]);
        }
        return CellResult.error(ename, message, traceback);
    }
}
