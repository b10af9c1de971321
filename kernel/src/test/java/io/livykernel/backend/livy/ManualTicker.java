package io.livykernel.backend.livy;

import java.util.Map;
import java.util.TreeMap;

/**
 * A clock that moves only when the code under test sleeps, at once: a statement's whole life runs in
 * milliseconds of real time. Events (an interrupt) fire at their time during a sleep that reaches it.
 */
final class ManualTicker implements Ticker {
    private final TreeMap<Long, Runnable> events = new TreeMap<>();
    private volatile long now;

    @Override
    public long nowMillis() {
        return now;
    }

    /** Runs {@code event} when the clock reaches {@code atMillis}. */
    synchronized void at(long atMillis, Runnable event) {
        events.put(atMillis, event);
    }

    @Override
    public void sleep(long millis, Interruption interruption) throws InterruptedException {
        if (interruption.pending()) {
            return;
        }
        long target = now + Math.max(0, millis);
        Map.Entry<Long, Runnable> due;
        while (true) {
            synchronized (this) {
                due = events.firstEntry();
                if (due == null || due.getKey() > target) {
                    break;
                }
                events.remove(due.getKey());
            }
            now = Math.max(now, due.getKey());
            due.getValue().run();
            if (interruption.pending()) {
                return;
            }
        }
        now = target;
    }
}
