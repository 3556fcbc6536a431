package org.fluxmpp.benchmarks;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Keeps a fixed number of asynchronous operations (logins, handshakes) in flight for a JMH benchmark thread: each
 * {@link #next()} waits for one to finish and starts the next, so JMH's ops/s are completed operations per second
 * with {@code concurrency} under way at any time. Between iterations, when nobody calls {@link #next()}, at most
 * {@code concurrency} results wait, so an iteration's count is off by at most that many.
 */
final class InFlight implements AutoCloseable {

    private static final Object OK = new Object();

    private final IntFunction<? extends CompletionStage<?>> operation;
    private final BlockingQueue<Object> finished = new LinkedBlockingQueue<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private int started;

    /**
     * Starts {@code concurrency} operations.
     *
     * @param operation starts operation number {@code i} (0, 1, 2, ...)
     */
    InFlight(int concurrency, IntFunction<? extends CompletionStage<?>> operation) {
        this.operation = operation;
        for (int i = 0; i < concurrency; i++) {
            start();
        }
    }

    private void start() {
        outstanding.incrementAndGet();
        operation.apply(started++).whenComplete((v, e) -> {
            outstanding.decrementAndGet();
            finished.add(e == null ? OK : e);
        });
    }

    /**
     * Waits for one operation to finish, then starts another.
     *
     * @throws Exception the operation's failure, or a {@link TimeoutException} after 30 s
     */
    void next() throws Exception {
        Object result = finished.poll(30, TimeUnit.SECONDS);
        if (result == null) {
            throw new TimeoutException("no operation finished within 30 s");
        }
        if (result instanceof Throwable t) {
            throw new IllegalStateException("an operation failed: " + t, t);
        }
        start();
    }

    /** Waits (up to 30 s) for what is under way; nothing more is started unless {@link #next()} is called. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (outstanding.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
