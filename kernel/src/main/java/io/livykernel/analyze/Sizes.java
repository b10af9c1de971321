package io.livykernel.analyze;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bytes, durations and Spark memory settings as people and spark-defaults.conf write them. */
public final class Sizes {
    public static final long MIB = 1024L * 1024;
    public static final long GIB = 1024 * MIB;
    /** Memory Spark reserves in every JVM before the unified region (RESERVED_SYSTEM_MEMORY_BYTES). */
    public static final long RESERVED = 300 * MIB;

    private Sizes() {
    }

    public static String bytes(double bytes) {
        if (bytes < 0) {
            return "unknown";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (bytes >= 1024 && unit < units.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? (long) bytes + " B" : String.format(Locale.ROOT, "%.1f %s", bytes, units[unit]);
    }

    public static String millis(double ms) {
        if (ms < 0) {
            return "unknown";
        }
        if (ms < 1000) {
            return (long) ms + " ms";
        }
        double s = ms / 1000;
        if (s < 120) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        return s < 7200 ? String.format(Locale.ROOT, "%.1f min", s / 60) : String.format(Locale.ROOT, "%.1f h", s / 3600);
    }

    public static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /**
     * A JVM memory setting ("4g", "512m", "2048" = MiB as Spark reads spark.executor.memory) in bytes, or -1.
     */
    public static long parseMemory(String text) {
        if (text == null || text.isBlank()) {
            return -1;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = MIB;
        char last = t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> unit = 1024;
            case 'm' -> unit = MIB;
            case 'g' -> unit = GIB;
            case 't' -> unit = 1024 * GIB;
            default -> {
                if (!Character.isDigit(last)) {
                    return -1;
                }
            }
        }
        String digits = Character.isDigit(last) ? t : t.substring(0, t.length() - 1);
        try {
            return Long.parseLong(digits.trim()) * unit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A Spark time setting ("60s", "2min", "500ms", "1h"; a bare number is seconds, as for the dynamic allocation
     * timeouts) in milliseconds, or -1 when it is not one.
     */
    public static long parseMillis(String text) {
        if (text == null || text.isBlank()) {
            return -1;
        }
        Matcher m = Pattern.compile("(\\d+)\\s*(us|ms|s|m|min|h|d)?")
                .matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "us" -> n / 1000;
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m", "min" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
        };
    }

    /** A memory setting for at least {@code bytes}, rounded up to 512 MiB steps ("1536m", "3g"). */
    public static String memorySetting(double bytes) {
        long steps = Math.max(1, (long) Math.ceil(bytes / (512.0 * MIB)));
        return steps % 2 == 0 ? steps / 2 + "g" : steps * 512 + "m";
    }
}
