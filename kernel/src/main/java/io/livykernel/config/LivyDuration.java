package io.livykernel.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration as Livy reads a session's {@code ttl} and {@code idleTimeout}: a whole number and a unit, "30s", "10m",
 * "2h", "1d". Livy parses them with {@code ClientConf.getTimeAsMs} (apache/incubator-livy,
 * client-common/.../ClientConf.java: {@code (-?[0-9]+)([a-z]+)?} on the lower-cased text, units us, ms, s, m, min,
 * h, d) and answers a bad one with 400 "Invalid time string: ..." (tests/livy-samples/113). We refuse the same
 * texts before anything is sent, and also what Livy would take but no one means: a number without a unit (Livy
 * reads it as milliseconds), a negative or zero duration.
 */
public final class LivyDuration {
    private static final Pattern FORM = Pattern.compile("([0-9]+)([a-z]+)");
    private static final Map<String, Duration> UNITS = Map.of("us", Duration.ofNanos(1000), "ms",
            Duration.ofMillis(1), "s", Duration.ofSeconds(1), "m", Duration.ofMinutes(1), "min", Duration.ofMinutes(1),
            "h", Duration.ofHours(1), "d", Duration.ofDays(1));

    private LivyDuration() {
    }

    /** The duration {@code text} stands for, or empty when Livy (or a reader) would not take it as one. */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || !UNITS.containsKey(m.group(2))) {
            return Optional.empty();
        }
        try {
            Duration d = UNITS.get(m.group(2)).multipliedBy(Long.parseLong(m.group(1)));
            return d.isZero() ? Optional.empty() : Optional.of(d);
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The one-line refusal of a value that is not a duration, naming the key and the value as written. */
    public static String problem(String key, String shown) {
        return key + " " + shown + " is not a Livy duration; write e.g. 10m or 2h";
    }

    /** Short words for a duration: "45 s", "10 min", "2 h", "1 d 6 h". */
    public static String words(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
        }
        if (s < 86_400) {
            return (s % 3600) / 60 == 0 ? s / 3600 + " h" : s / 3600 + " h " + (s % 3600) / 60 + " min";
        }
        return (s % 86_400) / 3600 == 0 ? s / 86_400 + " d" : s / 86_400 + " d " + (s % 86_400) / 3600 + " h";
    }
}
