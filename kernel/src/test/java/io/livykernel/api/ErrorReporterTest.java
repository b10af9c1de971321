package io.livykernel.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErrorReporterTest {
    /** A Java stack frame as printStackTrace writes it, e.g. "\tat io.x.Y.z(Y.java:12)". */
    private static final Pattern STACK_FRAME = Pattern.compile("^\\s*at [\\w$.]+\\(.*\\)");
    private static final Pattern INCIDENT = Pattern.compile("incident ([0-9a-f]{8})");

    private final Logger log = Logger.getLogger(ErrorReporter.class.getName());
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        log.addHandler(capture);
        log.setUseParentHandlers(false);
    }

    @AfterEach
    void restoreLog() {
        log.removeHandler(capture);
        log.setUseParentHandlers(true);
    }

    @Test
    void userFacingErrorKeepsItsNameAndWordsWithoutAJavaStackTrace() {
        UserFacingException failure = new UserFacingException("LivySessionError",
                "The Livy session died.\nStart a new one with %%restart.", new IllegalStateException("inner"));

        CellResult.Error error = ErrorReporter.toCellError(failure);

        assertEquals("LivySessionError", error.ename());
        assertEquals("The Livy session died.\nStart a new one with %%restart.", error.evalue());
        assertEquals(2, error.traceback().size());
        assertTrue(error.traceback().get(0).contains("LivySessionError"));
        assertTrue(error.traceback().get(0).endsWith(": The Livy session died."));
        assertEquals("Start a new one with %%restart.", error.traceback().get(1));
        assertNoStackFrames(error);
        assertTrue(logged.isEmpty(), "an expected failure is not an incident");
    }

    @Test
    void unexpectedExceptionBecomesInternalErrorWithAnIncidentIdAndNoStackTrace() {
        RuntimeException failure = deepException();

        CellResult.Error error = ErrorReporter.toCellError(failure);

        assertEquals("InternalError", error.ename());
        assertTrue(error.evalue().contains("IllegalStateException: queue drained twice"), error.evalue());
        Matcher incident = INCIDENT.matcher(error.evalue());
        assertTrue(incident.find(), "no incident id in: " + error.evalue());
        assertEquals(1, error.traceback().size());
        assertTrue(error.traceback().get(0).contains(incident.group(1)));
        assertNoStackFrames(error);

        assertEquals(1, logged.size());
        LogRecord record = logged.get(0);
        assertEquals(Level.SEVERE, record.getLevel());
        assertTrue(record.getMessage().contains(incident.group(1)), "the log must cite the same incident");
        assertSame(failure, record.getThrown(), "the stack trace belongs in the log");
    }

    @Test
    void eachInternalErrorGetsItsOwnIncidentId() {
        String first = incidentOf(ErrorReporter.toCellError(new NullPointerException()));
        String second = incidentOf(ErrorReporter.toCellError(new NullPointerException()));

        assertFalse(first.equals(second), "two failures share incident " + first);
    }

    @Test
    void interruptionIsShownAsKeyboardInterrupt() {
        assertEquals("KeyboardInterrupt", ErrorReporter.toCellError(new InterruptedException()).ename());
    }

    private static String incidentOf(CellResult.Error error) {
        Matcher m = INCIDENT.matcher(error.evalue());
        assertTrue(m.find(), error.evalue());
        return m.group(1);
    }

    private static void assertNoStackFrames(CellResult.Error error) {
        for (String line : error.traceback()) {
            for (String part : line.split("\n")) {
                assertFalse(STACK_FRAME.matcher(part).find(), "stack frame shown to the user: " + part);
                assertFalse(part.contains("io.livykernel."), "Java class shown to the user: " + part);
            }
        }
    }

    private static RuntimeException deepException() {
        try {
            recurse(5);
            throw new AssertionError("unreachable");
        } catch (IllegalStateException e) {
            return e;
        }
    }

    private static void recurse(int depth) {
        if (depth == 0) {
            throw new IllegalStateException("queue drained twice");
        }
        recurse(depth - 1);
    }
}
