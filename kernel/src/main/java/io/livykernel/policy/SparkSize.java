package io.livykernel.policy;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memory size as Spark reads {@code driverMemory}, {@code executorMemory} and {@code *.memoryOverhead}: a
 * whole number with an optional unit (k, m, g, t, p, with or without a trailing b; no unit means MiB, as
 * Spark's {@code byteStringAsMb} does for these settings). Compared and added as bytes.
 */
public record SparkSize(long bytes, String text) implements Comparable<SparkSize> {
    private static final Pattern FORM = Pattern.compile("([0-9]+)\\s*([kmgtp]?b?)", Pattern.CASE_INSENSITIVE);
    private static final long MIB = 1L << 20;

    /** The size, or empty when the text is not a size Spark accepts (or is beyond 8 EiB). */
    public static Optional<SparkSize> parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit.isEmpty() ? "m" : unit.substring(0, 1)) {
            case "b" -> 0;
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 50;
        };
        try {
            long number = Long.parseLong(m.group(1));
            if (number > (Long.MAX_VALUE >> shift)) {
                return Optional.empty();
            }
            return Optional.of(new SparkSize(number << shift, text.strip()));
        } catch (NumberFormatException tooLong) {
            return Optional.empty();
        }
    }

    public static SparkSize ofBytes(long bytes) {
        return new SparkSize(bytes, human(bytes));
    }

    public SparkSize plus(SparkSize other) {
        return ofBytes(bytes + other.bytes);
    }

    /** YARN's default overhead on a Spark container: 10% of the heap, at least 384 MiB. */
    public SparkSize defaultOverhead() {
        return ofBytes(Math.max(384 * MIB, bytes / 10));
    }

    @Override
    public int compareTo(SparkSize other) {
        return Long.compare(bytes, other.bytes);
    }

    /** The shortest exact form: 8g, 1536m, 100k. */
    static String human(long bytes) {
        String[] units = {"p", "t", "g", "m", "k"};
        int[] shifts = {50, 40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit && bytes % unit == 0) {
                return (bytes / unit) + units[i];
            }
        }
        return bytes + "b";
    }

    @Override
    public String toString() {
        return text;
    }
}
