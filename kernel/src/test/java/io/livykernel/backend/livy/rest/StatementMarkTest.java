package io.livykernel.backend.livy.rest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What reconciliation may take for a lost POST's statement: Livy's numbered ids and Lighter's UUIDs. */
class StatementMarkTest {

    @Test
    void livysNumberedStatementsAreNewerOnlyAboveTheHighestSeen() {
        StatementMark mark = StatementMark.NONE.with("3").with("10");

        assertFalse(mark.isNewer("9"), "an older statement with the same code is not ours");
        assertTrue(mark.isNewer("11"));
        assertTrue(mark.reachedBy("10"));
        assertFalse(mark.reachedBy("12"), "a listing that stops above the mark may miss newer statements");
    }

    @Test
    void uuidStatementsAreNewerWhenNeverSeen() {
        StatementMark mark = StatementMark.NONE.with("0d9e7c4a-51b2-4f7e-a3c8-9e2b6d1f5a70");

        assertFalse(mark.isNewer("0d9e7c4a-51b2-4f7e-a3c8-9e2b6d1f5a70"));
        assertTrue(mark.isNewer("5c2f8e1d-7a3b-4d6e-9f0a-1b2c3d4e5f60"));
        assertFalse(mark.reachedBy("0d9e7c4a-51b2-4f7e-a3c8-9e2b6d1f5a70"),
                "without an order only a listing down to the oldest statement shows all newer ones");
    }
}
