package io.livykernel.logging;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.StreamHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sets up java.util.logging to write one line per record to stderr, which Jupyter servers keep in their
 * log. The level comes from {@code LIVY_KERNEL_LOG_LEVEL} (DEBUG, INFO, WARNING, ERROR; default WARNING); the
 * {@link #ACCOUNTING} lines (what each session used, for the platform team) are written at any level but ERROR.
 */
public final class KernelLogging {
    public static final String LEVEL_ENV = "LIVY_KERNEL_LOG_LEVEL";
    /** The logger of the accounting lines, which a platform team audits: written unless the level is ERROR. */
    public static final String ACCOUNTING = "io.livykernel.accounting";
    // held here: java.util.logging keeps loggers only weakly, and a collected one would forget its level
    private static final Logger ACCOUNTING_LOGGER = Logger.getLogger(ACCOUNTING);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private KernelLogging() {
    }

    public static void configure(String levelName) {
        Level level = parse(levelName);
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        // Not ConsoleHandler: replacing its stream would close System.err, and with it every later message.
        Handler handler = new StreamHandler(System.err, new Formatter() {
            @Override
            public String format(LogRecord r) {
                StringBuilder line = new StringBuilder()
                        .append('[').append(r.getLevel().getName().charAt(0)).append(' ')
                        .append(TIME.format(LocalTime.now())).append(" livy-kernel ")
                        .append(shortName(r.getLoggerName())).append("] ")
                        .append(formatMessage(r)).append('\n');
                if (r.getThrown() != null) {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    r.getThrown().printStackTrace(new java.io.PrintWriter(trace));
                    line.append(trace);
                }
                return line.toString();
            }
        }) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        // at WARNING (the default) the accounting lines still pass; other loggers keep the root's level
        Level accounting = level == Level.WARNING ? Level.INFO : level;
        handler.setLevel(accounting);
        root.addHandler(handler);
        root.setLevel(level);
        ACCOUNTING_LOGGER.setLevel(accounting);
        // JeroMQ and the JDK's HTTP client are chatty at FINE; keep them at our level or above INFO.
        Logger.getLogger("org.zeromq").setLevel(level.intValue() < Level.INFO.intValue() ? Level.INFO : level);
    }

    static Level parse(String name) {
        if (name == null || name.isBlank()) {
            return Level.WARNING;
        }
        return switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "DEBUG", "FINE" -> Level.FINE;
            case "TRACE", "FINEST" -> Level.FINEST;
            case "INFO" -> Level.INFO;
            case "ERROR", "SEVERE" -> Level.SEVERE;
            default -> Level.WARNING;
        };
    }

    private static String shortName(String loggerName) {
        if (loggerName == null) {
            return "";
        }
        int dot = loggerName.lastIndexOf('.');
        return dot < 0 ? loggerName : loggerName.substring(dot + 1);
    }
}
