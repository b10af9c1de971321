package io.livykernel.http;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * How often and how patiently a client repeats a request that may safely be repeated (Livy's GET, DELETE...).
 *
 * @param maxAttempts total attempts including the first; 1 turns retries off
 * @param backoff     the pause before retry 1, 2, ...; the last pause repeats for later retries
 * @param jitter      each pause varies randomly by up to this fraction (0.2 = ±20%), so that many kernels
 *                    that lost Livy at once do not come back in lockstep
 */
public record RetryPolicy(int maxAttempts, List<Duration> backoff, double jitter) {
    /** Six attempts, pausing 0.2, 0.5, 1, 2 and 5 seconds (±20%): rides out a Livy restart of ~9 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(6,
            List.of(Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                    Duration.ofSeconds(5)),
            0.2);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (backoff == null || backoff.isEmpty()) {
            throw new IllegalArgumentException("backoff needs at least one pause");
        }
        backoff = List.copyOf(backoff);
        if (backoff.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("backoff pauses must not be negative");
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
        }
    }

    /** One attempt, no retries. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, List.of(Duration.ZERO), 0);
    }

    /** The pause before retry number {@code retry} (1 = the first retry), jitter applied. */
    public Duration pauseBeforeRetry(int retry, Random random) {
        Duration base = backoff.get(Math.min(Math.max(retry, 1), backoff.size()) - 1);
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofNanos(Math.round(base.toNanos() * factor));
    }
}
