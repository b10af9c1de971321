package io.livykernel.execution;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class JvmHealthTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final JvmHealth health = new JvmHealth(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void oneOutOfMemoryErrorIsSurvivedTheSecondSoonAfterIsNot() {
        assertFalse(health.unusableAfter(new OutOfMemoryError("Java heap space")));
        now = now.plusSeconds(30);
        assertTrue(health.unusableAfter(new ExecutionException(new OutOfMemoryError("Java heap space"))));
    }

    @Test
    void outOfMemoryErrorsFarApartAreEachSurvived() {
        assertFalse(health.unusableAfter(new OutOfMemoryError()));
        now = now.plus(JvmHealth.REPEAT_WINDOW).plus(Duration.ofSeconds(1));
        assertFalse(health.unusableAfter(new OutOfMemoryError()));
    }

    @Test
    void otherErrorsNeverMakeTheJvmUnusable() {
        assertFalse(health.unusableAfter(new StackOverflowError()));
        assertFalse(health.unusableAfter(new StackOverflowError()));
        assertFalse(health.unusableAfter(new AssertionError()));
    }
}
