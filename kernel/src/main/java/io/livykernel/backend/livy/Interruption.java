package io.livykernel.backend.livy;

import io.livykernel.backend.livy.rest.LivyException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.logging.Logger;

/**
 * The user's interrupt as seen by code that waits on Livy: the control thread calls {@link #request()}; the
 * waiting thread's {@link #sleep} and {@link #await} return at once, {@link #requested()} tells it to act,
 * and {@link #take()} marks a request as handled, so that later waits wait again instead of spinning.
 */
final class Interruption {
    private static final Logger LOG = Logger.getLogger(Interruption.class.getName());
    /** Runs requests whose wait can be given up; the request itself then ends with its own timeout. */
    private static final ExecutorService REQUESTS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "livy-request");
        t.setDaemon(true);
        return t;
    });

    private int requests;
    private int taken;

    /** A blocking Livy request. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws LivyException, InterruptedException;
    }

    /** The wait for a request was given up: the user interrupted, or the caller's deadline passed. */
    static final class Abandoned extends Exception {
        private final boolean byInterrupt;

        Abandoned(boolean byInterrupt) {
            super(byInterrupt ? "interrupted" : "no answer in time", null, false, false);
            this.byInterrupt = byInterrupt;
        }

        boolean byInterrupt() {
            return byInterrupt;
        }
    }

    synchronized void reset() {
        requests = 0;
        taken = 0;
    }

    synchronized void request() {
        requests++;
        notifyAll();
    }

    /** True once the user asked to interrupt (handled or not). */
    synchronized boolean requested() {
        return requests > 0;
    }

    /** True when a request came that nobody has handled yet; marks it handled. */
    synchronized boolean take() {
        boolean fresh = requests > taken;
        taken = requests;
        return fresh;
    }

    /** True when a request came that nobody has handled yet. */
    synchronized boolean pending() {
        return requests > taken;
    }

    /** Waits up to {@code millis}, or less when an interrupt arrives that was not handled yet. */
    synchronized void sleep(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        long left;
        while (!pending() && (left = end - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000), 0);
        }
    }

    /** Runs {@code call} on its own thread, nobody waiting: for a request that must go out whatever happens. */
    static void inBackground(Call<?> call) {
        REQUESTS.execute(() -> {
            try {
                call.call();
            } catch (LivyException e) {
                LOG.fine(() -> "background request failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Runs {@code call} and waits for its answer for at most {@code maxMillis}, giving the wait up at once
     * when an unhandled interrupt arrives (the request is then cancelled), so that a server that hangs cannot
     * hold the cell.
     */
    <T> T await(Call<T> call, long maxMillis) throws LivyException, InterruptedException, Abandoned {
        FutureTask<T> task = new FutureTask<>(call::call);
        REQUESTS.execute(() -> {
            task.run();
            synchronized (this) {
                notifyAll();
            }
        });
        long end = System.nanoTime() + Math.min(maxMillis, Long.MAX_VALUE / 2_000_000) * 1_000_000;
        synchronized (this) {
            long left;
            try {
                while (!task.isDone() && !pending() && (left = end - System.nanoTime()) > 0) {
                    wait(Math.max(1, left / 1_000_000), 0);
                }
            } catch (InterruptedException e) {
                task.cancel(true);
                throw e;
            }
            if (!task.isDone()) {
                task.cancel(true);
                throw new Abandoned(pending());
            }
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LivyException livy) {
                throw livy;
            }
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}
