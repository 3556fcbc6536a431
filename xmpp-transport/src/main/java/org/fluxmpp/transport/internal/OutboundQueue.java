package org.fluxmpp.transport.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 */
public final class OutboundQueue implements Publisher<Object>, Subscription {

    private final int capacity;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger stanzas = new AtomicInteger();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong requested = new AtomicLong();
    private volatile @Nullable Subscriber<? super Object> subscriber;
    private volatile boolean completing;
    private volatile boolean terminated;

    /**
     * A queue that holds at most {@code capacity} stanzas.
     *
     * @throws IllegalArgumentException when capacity is not positive
     */
    public OutboundQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Queues a stanza element.
     *
     * @return {@code false} when the queue is full or closed; the element was not queued
     */
    public boolean offer(Object stanza) {
        if (completing || terminated) {
            return false;
        }
        if (stanzas.incrementAndGet() > capacity) {
            stanzas.decrementAndGet();
            return false;
        }
        queue.offer(new Counted(stanza));
        drain();
        return true;
    }

    /** Queues negotiation or framing output, which does not count against the capacity. */
    public boolean offerControl(Object item) {
        if (completing || terminated) {
            return false;
        }
        queue.offer(item);
        drain();
        return true;
    }

    /** Drops every queued stanza (when the session is ended by its overflow policy). */
    public void clearStanzas() {
        queue.removeIf(o -> {
            if (o instanceof Counted) {
                stanzas.decrementAndGet();
                return true;
            }
            return false;
        });
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
        if (wip.getAndIncrement() == 0) {
            queue.clear();
        }
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Subscriber<? super Object> s = subscriber;
            if (terminated) {
                queue.clear();
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
                        stanzas.decrementAndGet();
                        item = c.item;
                    }
                    s.onNext(item);
                    e++;
                }
                if (e != 0 && r != Long.MAX_VALUE) {
                    requested.addAndGet(-e);
                }
                if (completing && queue.isEmpty() && !terminated) {
                    terminated = true;
                    s.onComplete();
                    return;
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Marks a stanza so the count follows it out of the queue. */
    private record Counted(Object item) {
    }
}
