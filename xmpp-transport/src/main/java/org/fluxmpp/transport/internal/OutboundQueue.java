package org.fluxmpp.transport.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Operators;

/**
 * A session's outbound queue: many producers (the router, on any thread) and one subscriber (the connection's
 * writer, which requests only as the socket drains). It is the one place where a session's pending output lives, so
 * it has a clear owner (and, later, stream management can count what leaves it).
 *
 * <p>Policy: at most {@code capacity} stanzas wait; {@link #offer} refuses the one beyond and the owner applies its
 * overflow policy. Negotiation elements and the stream's own framing ({@link #offerControl}) are few and bounded by
 * the protocol, so they do not count. Nothing is preallocated: an idle session's queue holds no array.
 *
 * <p>A stanza the queue accepted is never lost silently: one that leaves without being written (cleared by the
 * overflow policy, or still queued when the writer cancels because the connection ended) goes to the
 * {@code undelivered} callback, which hands it back to the router.
 */
public final class OutboundQueue implements Publisher<Object>, Subscription {

    private final int capacity;
    private final Consumer<Object> undelivered;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger stanzas = new AtomicInteger();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicInteger producers = new AtomicInteger();
    private final AtomicLong requested = new AtomicLong();
    private volatile @Nullable Subscriber<? super Object> subscriber;
    private volatile boolean completing;
    private volatile boolean terminated;

    /**
     * A queue that holds at most {@code capacity} stanzas.
     *
     * @param undelivered gets each accepted stanza that leaves without being written, once, on the thread that
     *                    removed it (the overflow's producer or the cancelling writer)
     * @throws IllegalArgumentException when capacity is not positive
     */
    public OutboundQueue(int capacity, Consumer<Object> undelivered) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.undelivered = undelivered;
    }

    /**
     * Queues a stanza element.
     *
     * @return {@code false} when the queue is full or closed; the element was not queued
     */
    public boolean offer(Object stanza) {
        return enqueue(stanza, true);
    }

    /** Queues negotiation or framing output, which does not count against the capacity. */
    public boolean offerControl(Object item) {
        return enqueue(item, false);
    }

    private boolean enqueue(Object item, boolean counted) {
        // While a producer is between its check of `completing` and its queue.offer, drain must not complete:
        // otherwise an element accepted here could land behind onComplete and be lost.
        producers.incrementAndGet();
        boolean accepted = false;
        if (!completing && !terminated) {
            if (!counted) {
                queue.offer(item);
                accepted = true;
            } else if (stanzas.incrementAndGet() > capacity) {
                stanzas.decrementAndGet();
            } else {
                queue.offer(new Counted(item));
                accepted = true;
            }
        }
        producers.decrementAndGet();
        if (terminated) {
            // Cancelled meanwhile: nothing more will be delivered, so nothing may wait (or be counted).
            discardAll();
        } else {
            drain();
        }
        return accepted;
    }

    /**
     * Takes every queued stanza out (when the session is ended by its overflow policy) and hands each to the
     * {@code undelivered} callback; negotiation and framing output stays.
     */
    public void clearStanzas() {
        // Whoever claims a stanza (this or the writer's poll) accounts for it, so a race counts it once.
        queue.removeIf(o -> o instanceof Counted c && undeliver(c));
    }

    /** Completes the subscriber once everything queued so far has been written; later offers are refused. */
    public void complete() {
        completing = true;
        drain();
    }

    /** Whether {@link #complete()} was called or the subscriber cancelled. */
    public boolean isClosed() {
        return completing || terminated;
    }

    /** The number of stanzas waiting. */
    public int size() {
        return stanzas.get();
    }

    @Override
    public void subscribe(Subscriber<? super Object> s) {
        if (subscriber != null) {
            Operators.error(s, new IllegalStateException("OutboundQueue allows only one subscriber"));
            return;
        }
        subscriber = s;
        s.onSubscribe(this);
        drain();
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            drain();
        }
    }

    @Override
    public void cancel() {
        terminated = true;
        discardAll();
    }

    /** Empties the queue, keeping the stanza count right; stanzas go to the {@code undelivered} callback. */
    private void discardAll() {
        Object o;
        while ((o = queue.poll()) != null) {
            if (o instanceof Counted c) {
                undeliver(c);
            }
        }
    }

    private boolean undeliver(Counted c) {
        if (!c.claim()) {
            return false;
        }
        stanzas.decrementAndGet();
        undelivered.accept(c.item);
        return true;
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Subscriber<? super Object> s = subscriber;
            if (terminated) {
                discardAll();
                return;
            }
            if (s != null) {
                long r = requested.get();
                long e = 0;
                while (e != r && !terminated) {
                    Object item = queue.poll();
                    if (item == null) {
                        break;
                    }
                    if (item instanceof Counted c) {
                        if (!c.claim()) {
                            continue; // removed by clearStanzas while this poll took it
                        }
                        stanzas.decrementAndGet();
                        item = c.item;
                    }
                    s.onNext(item);
                    e++;
                }
                if (e != 0 && r != Long.MAX_VALUE) {
                    requested.addAndGet(-e);
                }
                // Producers first, then the queue: a producer that passed its check has queued before it leaves.
                if (completing && producers.get() == 0 && queue.isEmpty() && !terminated) {
                    terminated = true;
                    s.onComplete();
                    return;
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Marks a stanza so the count follows it out of the queue; claimed once, by the writer or by a clear. */
    private static final class Counted {
        private static final AtomicIntegerFieldUpdater<Counted> CLAIMED =
                AtomicIntegerFieldUpdater.newUpdater(Counted.class, "claimed");

        final Object item;
        private volatile int claimed;

        Counted(Object item) {
            this.item = item;
        }

        boolean claim() {
            return CLAIMED.compareAndSet(this, 0, 1);
        }
    }
}
