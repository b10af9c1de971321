package io.livykernel.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides when the JVM can no longer be trusted to serve cells. One OutOfMemoryError is survivable (the
 * large answer that caused it is garbage once the cell has failed); a second one soon after means memory
 * stays short, and a kernel that half-works is worse than one that visibly died and is restarted.
 */
final class JvmHealth {
    static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);

    private final Clock clock;
    private Instant lastOutOfMemory;

    JvmHealth(Clock clock) {
        this.clock = clock;
    }

    /** Records a Throwable caught anywhere in the kernel; true when the JVM is no longer usable after it. */
    synchronized boolean unusableAfter(Throwable failure) {
        if (!outOfMemory(failure)) {
            return false;
        }
        Instant now = clock.instant();
        boolean repeated = lastOutOfMemory != null && now.isBefore(lastOutOfMemory.plus(REPEAT_WINDOW));
        lastOutOfMemory = now;
        return repeated;
    }

    private static boolean outOfMemory(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }
}
