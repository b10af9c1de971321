package io.livykernel.backend.livy.rest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a client knows of a session's statements before it posts one: reconciliation after a lost answer
 * must not take any of them for the new statement. Ids are opaque text; only their order is used, and only
 * where the server gives one: Apache Livy numbers a session's statements 0, 1, 2, ..., so its highest id
 * stands for all earlier ones, while Lighter's UUIDs are told apart by the set of ids seen.
 */
record StatementMark(long highestNumber, Set<String> otherIds) {
    static final StatementMark NONE = new StatementMark(-1, Set.of());

    StatementMark {
        otherIds = Set.copyOf(otherIds);
    }

    /** The order of a Livy statement id, or -1 for an id that is not a plain decimal number (e.g. a UUID). */
    static long order(String id) {
        if (id == null || id.isEmpty() || id.length() > 18 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(id);
    }

    /** True when the ids all carry Livy's order, so a listing can be sorted and compared by it. */
    static boolean ordered(List<LivyStatement> statements) {
        return statements.stream().allMatch(s -> order(s.id()) >= 0);
    }

    /** This mark with {@code id} seen as well. */
    StatementMark with(String id) {
        long n = order(id);
        if (n >= 0) {
            return n > highestNumber ? new StatementMark(n, otherIds) : this;
        }
        if (id == null || otherIds.contains(id)) {
            return this;
        }
        Set<String> more = new HashSet<>(otherIds);
        more.add(id);
        return new StatementMark(highestNumber, more);
    }

    /** A mark of everything in {@code statements}. */
    static StatementMark of(List<LivyStatement> statements) {
        StatementMark mark = NONE;
        for (LivyStatement s : statements) {
            mark = mark.with(s.id());
        }
        return mark;
    }

    /** True when {@code id} cannot be one of the statements this mark knows. */
    boolean isNewer(String id) {
        long n = order(id);
        return n >= 0 ? n > highestNumber : id != null && !otherIds.contains(id);
    }

    /**
     * True when a newest-first listing that ends with {@code oldestListed} shows every statement newer than this
     * mark. Only ordered ids can tell; a listing without order has to include the session's oldest statement.
     */
    boolean reachedBy(String oldestListed) {
        long n = order(oldestListed);
        return n >= 0 && n <= highestNumber;
    }
}
