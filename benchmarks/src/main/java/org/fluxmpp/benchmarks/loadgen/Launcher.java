package org.fluxmpp.benchmarks.loadgen;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Runs numbered asynchronous operations (logins) with at most a fixed number in flight: {@code concurrency} lanes,
 * each starting the next number when its last operation finishes, until {@code total} have been started or
 * {@code stop} says so.
 */
public final class Launcher {

    /** Told of each finished operation: its number and its failure, or {@code null}. */
    @FunctionalInterface
    public interface Finished {
        /** Operation {@code n} finished; {@code failure} is {@code null} when it succeeded. */
        void finished(long n, @Nullable Throwable failure);
    }

    private final long total;
    private final BooleanSupplier stop;
    private final LongFunction<? extends CompletableFuture<?>> operation;
    private final Finished finished;
    private final AtomicLong next = new AtomicLong();
    private final AtomicInteger lanes = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private Launcher(long total, BooleanSupplier stop, LongFunction<? extends CompletableFuture<?>> operation,
                     Finished finished) {
        this.total = total;
        this.stop = stop;
        this.operation = operation;
        this.finished = finished;
    }

    /**
     * Starts the operations; the result completes when every started operation has finished.
     *
     * @param concurrency operations in flight at most
     * @param total operations to start at most
     */
    public static CompletableFuture<Void> run(int concurrency, long total, BooleanSupplier stop,
                                              LongFunction<? extends CompletableFuture<?>> operation,
                                              Finished finished) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        Launcher l = new Launcher(total, stop, operation, finished);
        l.lanes.set(concurrency);
        for (int i = 0; i < concurrency; i++) {
            l.startNext();
        }
        return l.done;
    }

    private void startNext() {
        long n = next.getAndIncrement();
        if (n >= total || stop.getAsBoolean()) {
            if (lanes.decrementAndGet() == 0) {
                done.complete(null);
            }
            return;
        }
        CompletableFuture<?> op;
        try {
            op = operation.apply(n);
        } catch (RuntimeException e) {
            op = CompletableFuture.failedFuture(e);
        }
        op.whenComplete((v, e) -> {
            finished.finished(n, e);
            startNext();
        });
    }
}
