package io.livykernel.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** What reaches the kernel's log (stderr) at each level; the accounting lines are for the platform team. */
class KernelLoggingTest {
    private static final Logger OTHER = Logger.getLogger("io.livykernel.backend.livy.RemoteSession");

    /** What the kernel logs with {@code LIVY_KERNEL_LOG_LEVEL} set to {@code level}, for the same records. */
    private static String loggedAt(String level) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            KernelLogging.configure(level);
            Logger.getLogger(KernelLogging.ACCOUNTING).info("Livy session 3 ended. Resources used: 1.000 GB-hours");
            OTHER.info("an ordinary info line");
            OTHER.warning("a warning");
        } finally {
            System.setErr(err);
            KernelLogging.configure("WARNING");   // back to the default, on the real stderr
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void atTheDefaultLevelTheAccountingLineIsWrittenAndOtherInfoIsNot() {
        String log = loggedAt(null);
        assertTrue(log.contains("livy-kernel accounting] Livy session 3 ended. Resources used: 1.000 GB-hours"), log);
        assertTrue(log.contains("a warning"), log);
        assertFalse(log.contains("an ordinary info line"), log);
    }

    @Test
    void atInfoBothAreWrittenAndAtErrorNeither() {
        String info = loggedAt("INFO");
        assertTrue(info.contains("Livy session 3 ended") && info.contains("an ordinary info line"), info);
        assertEquals("", loggedAt("ERROR"));
    }
}
