package io.livykernel.analyze.rest;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Spark's REST dates ("2024-05-01T10:00:00.123GMT") as epoch milliseconds. */
public final class SparkTime {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSz");

    private SparkTime() {
    }

    /** Epoch ms, or -1 for a missing or unreadable date. */
    public static long epochMillis(String text) {
        if (text == null || text.isBlank()) {
            return -1;
        }
        try {
            return ZonedDateTime.parse(text, FORMAT).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
