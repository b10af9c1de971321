package io.livykernel.analyze;

/** How bad a finding is, in Dr. Elephant's five steps. */
public enum Severity {
    NONE, LOW, MODERATE, SEVERE, CRITICAL;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    public static Severity max(Severity a, Severity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public static Severity min(Severity a, Severity b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * The severity of {@code value} against four limits: with {@code ascending} a value at or above {@code low}
     * is LOW, ..., at or above {@code critical} CRITICAL; otherwise the limits are read downwards (smaller is worse).
     */
    public static Severity of(double value, double low, double moderate, double severe, double critical,
                              boolean ascending) {
        double[] limits = {critical, severe, moderate, low};
        Severity[] levels = {CRITICAL, SEVERE, MODERATE, LOW};
        for (int i = 0; i < limits.length; i++) {
            if (ascending ? value >= limits[i] : value <= limits[i]) {
                return levels[i];
            }
        }
        return NONE;
    }

    /** Lower-case name for reports ("moderate"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
