package io.livykernel.config;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memory size as Spark reads {@code spark.driver.memory}, {@code spark.executor.memory} and
 * {@code *.memoryOverhead} (JavaUtils.byteStringAs): a whole number and an optional unit b, k, m, g, t, p (kb,
 * mb... too, any case, no space); without a unit the number is MiB. Compared and added as bytes; {@link #problem}
 * also bounds it to what a JVM on a cluster can be given.
 */
public record SparkSize(long bytes, String text) implements Comparable<SparkSize> {
    /** Spark refuses less: 1.5 x its 300 MiB of reserved memory. */
    static final long MIN_MIB = 450;
    /** No YARN container or JVM heap is larger; beyond it a size is a typo ("99999t"). */
    static final long MAX_MIB = 1024 * 1024;
    private static final long MIB = 1L << 20;
    public static final String ACCEPTED = "a whole number with a unit m, g or t and no space (e.g. \"512m\", \"4g\";"
            + " k and b work too, no unit means MiB), from 450m (Spark's minimum) to 1t";

    private static final Pattern FORM = Pattern.compile("([0-9]+)([kmgtp]b?|b)?");
    private static final Map<Character, Integer> SHIFT = Map.of('b', 0, 'k', 10, 'm', 20, 'g', 30, 't', 40, 'p', 50);

    /** The size, or empty when the text is not a size Spark accepts (or is beyond 8 EiB). */
    public static Optional<SparkSize> parse(String text) {
        BigInteger bytes = bytesOf(text);
        return bytes == null || bytes.bitLength() > 62 ? Optional.empty()
                : Optional.of(new SparkSize(bytes.longValue(), text.strip()));
    }

    /** The problem with {@code text} as a JVM memory size, or null when Spark would take it and it is in range. */
    public static String problem(String text) {
        BigInteger bytes = bytesOf(text);
        if (bytes == null) {
            return "not a size Spark understands";
        }
        BigInteger mib = bytes.shiftRight(20);
        if (mib.compareTo(BigInteger.valueOf(MIN_MIB)) < 0) {
            return "less than Spark's minimum of 450m";
        }
        if (mib.compareTo(BigInteger.valueOf(MAX_MIB)) > 0) {
            return "more than 1t, larger than any JVM a cluster gives";
        }
        return null;
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

    @Override
    public String toString() {
        return text;
    }

    private static BigInteger bytesOf(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        int shift = m.group(2) == null ? 20 : SHIFT.get(m.group(2).charAt(0));
        return new BigInteger(m.group(1)).shiftLeft(shift);
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
}
