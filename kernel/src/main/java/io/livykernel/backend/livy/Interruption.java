package io.livykernel.backend.livy;

/**
 * The user's interrupt as seen by code that waits on Livy: the control thread calls {@link #request()},
 * the waiting thread's {@link #sleep} wakes at once and {@link #requested()} tells it to act.
 */
final class Interruption {
    private boolean requested;

    synchronized void reset() {
        requested = false;
    }

    synchronized void request() {
        requested = true;
        notifyAll();
    }

    synchronized boolean requested() {
        return requested;
    }

    /** Waits up to {@code millis}, or less when an interrupt arrives. */
    synchronized void sleep(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        long left;
        while (!requested && (left = end - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000), 0);
        }
    }
}
