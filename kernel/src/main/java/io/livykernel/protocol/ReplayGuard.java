package io.livykernel.protocol;

import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Remembers the signatures already accepted so that a captured message sent again is refused, as
 * jupyter_client's Session does with its digest history. Bounded: the oldest half is forgotten when full.
 */
final class ReplayGuard {
    private final int capacity;
    private final Set<String> seen = new LinkedHashSet<>();

    ReplayGuard(int capacity) {
        this.capacity = capacity;
    }

    /** Records the signature; false when it was seen before. */
    synchronized boolean firstSighting(String signature) {
        if (!seen.add(signature)) {
            return false;
        }
        if (seen.size() > capacity) {
            Iterator<String> oldest = seen.iterator();
            for (int i = 0; i < capacity / 2 && oldest.hasNext(); i++) {
                oldest.next();
                oldest.remove();
            }
        }
        return true;
    }
}
