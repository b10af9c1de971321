package io.livykernel.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean": the known name closest to a misspelt one, if any is close enough to be a typo. */
public final class Spelling {
    private Spelling() {
    }

    /** The candidate closest to {@code typed} (case ignored), when at most a few edits away. */
    public static Optional<String> closest(String typed, Collection<String> candidates) {
        String lower = typed.toLowerCase(Locale.ROOT);
        int allowed = Math.max(2, Math.min(3, lower.length() / 3));
        return candidates.stream()
                .filter(c -> distance(c.toLowerCase(Locale.ROOT), lower) <= allowed)
                .min(Comparator.comparingInt(c -> distance(c.toLowerCase(Locale.ROOT), lower)));
    }

    /** Edit distance counting a swap of neighbours as one edit (Damerau-Levenshtein, optimal string alignment). */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
