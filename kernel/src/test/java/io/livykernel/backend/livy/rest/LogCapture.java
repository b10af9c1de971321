package io.livykernel.backend.livy.rest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Every line the kernel logs (all of io.livykernel, FINE included) while open, formatted as the log shows it. */
public final class LogCapture extends Handler implements AutoCloseable {
    private static final Logger ROOT = Logger.getLogger("io.livykernel");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final Level previousLevel;

    public LogCapture() {
        previousLevel = ROOT.getLevel();
        ROOT.setLevel(Level.ALL);
        setLevel(Level.ALL);
        ROOT.addHandler(this);
    }

    public List<String> lines() {
        return lines;
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(formatter.format(record));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        ROOT.removeHandler(this);
        ROOT.setLevel(previousLevel);
    }
}
