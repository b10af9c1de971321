package io.livykernel.config;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes as Spark reads {@code spark.driver.memory} and {@code spark.executor.memory}
 * (JavaUtils.byteStringAs): a whole number and an optional unit b, k, m, g, t, p (kb, mb... too, any case,
 * no space); without a unit the number is MiB. Bounded to what a JVM on a cluster can be given.
 */
public final class SparkSize {
    /** Spark refuses less: 1.5 x its 300 MiB of reserved memory. */
    static final long MIN_MIB = 450;
    /** No YARN container or JVM heap is larger; beyond it a size is a typo ("99999t"). */
    static final long MAX_MIB = 1024 * 1024;
    public static final String ACCEPTED = "a whole number with a unit m, g or t and no space (e.g. \"512m\", \"4g\";"
            + " k and b work too, no unit means MiB), from 450m (Spark's minimum) to 1t";

    private static final Pattern FORM = Pattern.compile("([0-9]+)([kmgtp]b?|b)?");
    private static final Map<Character, Integer> SHIFT = Map.of('b', 0, 'k', 10, 'm', 20, 'g', 30, 't', 40, 'p', 50);

    private SparkSize() {
    }

    /** The problem with {@code text} as a JVM memory size, or null when Spark would take it and it is in range. */
    public static String problem(String text) {
        Matcher m = FORM.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return "not a size Spark understands";
        }
        int shift = m.group(2) == null ? 20 : SHIFT.get(m.group(2).charAt(0));
        BigInteger mib = new BigInteger(m.group(1)).shiftLeft(shift).shiftRight(20);
        if (mib.compareTo(BigInteger.valueOf(MIN_MIB)) < 0) {
            return "less than Spark's minimum of 450m";
        }
        if (mib.compareTo(BigInteger.valueOf(MAX_MIB)) > 0) {
            return "more than 1t, larger than any JVM a cluster gives";
        }
        return null;
    }
}
