package io.livykernel.backend.livy;

/**
 * The clock and the pauses of code that follows Livy over time. Production uses {@link #SYSTEM}; tests drive
 * a statement's whole life on a clock of their own, without sleeping.
 */
interface Ticker {
    /** Milliseconds on a monotonic clock (only differences mean anything). */
    long nowMillis();

    /** Waits up to {@code millis}, or less when the user interrupts (see {@link Interruption#sleep}). */
    void sleep(long millis, Interruption interruption) throws InterruptedException;

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nowMillis() {
            return System.nanoTime() / 1_000_000;
        }

        @Override
        public void sleep(long millis, Interruption interruption) throws InterruptedException {
            interruption.sleep(millis);
        }
    };
}
