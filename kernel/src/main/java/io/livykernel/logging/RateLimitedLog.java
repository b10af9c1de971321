package io.livykernel.logging;

import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Logs at most {@code limit} warnings per window and then one line counting what it held back, so that
 * a flood of bad input (a misbehaving client, an attack) cannot fill the disk through the log.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final int limit;
    private final long windowMillis;
    private long windowStart;
    private int logged;
    private int suppressed;

    public RateLimitedLog(Logger log, int limit, long windowMillis) {
        this.log = log;
        this.limit = limit;
        this.windowMillis = windowMillis;
    }

    public synchronized void warn(Supplier<String> message) {
        long now = System.currentTimeMillis();
        if (now - windowStart > windowMillis) {
            if (suppressed > 0) {
                log.warning(suppressed + " similar warnings were not logged in the last " + windowMillis / 1000 + " s");
            }
            windowStart = now;
            logged = 0;
            suppressed = 0;
        }
        if (logged < limit) {
            logged++;
            log.warning(message.get());
        } else {
            suppressed++;
        }
    }
}
