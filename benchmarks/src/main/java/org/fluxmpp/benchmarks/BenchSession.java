package org.fluxmpp.benchmarks;

import java.time.Instant;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stream.StreamError;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The cheapest session that still behaves like one, for {@link RoutingBenchmark}: {@link #deliver} puts the stanza
 * into a bounded array ring of {@value #CAPACITY} slots (refusing when full, as an overflow policy would), and the
 * benchmark takes it out again with {@link #poll}. {@link #lastActivity} is fixed when the session is made.
 *
 * <p>Only for one thread (the JMH thread): no locks, no volatile fields, no wake-up of a writer. A real session's
 * queue is shared between the routing threads and its event loop, so its {@code deliver} costs more than this one;
 * the point here is to measure the router, not the queue.
 */
final class BenchSession implements XmppSession {

    static final int CAPACITY = 16;
    private static final int MASK = CAPACITY - 1;

    private final FullJid jid;
    private final String streamId;
    private final Instant lastActivity;
    private final Stanza[] ring = new Stanza[CAPACITY];
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private int head;
    private int tail;

    BenchSession(FullJid jid, String streamId, Instant lastActivity) {
        this.jid = jid;
        this.streamId = streamId;
        this.lastActivity = lastActivity;
    }

    @Override
    public FullJid jid() {
        return jid;
    }

    @Override
    public String streamId() {
        return streamId;
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public Instant lastActivity() {
        return lastActivity;
    }

    @Override
    public boolean deliver(Stanza stanza) {
        if (tail - head == CAPACITY) {
            return false;
        }
        ring[tail++ & MASK] = stanza;
        return true;
    }

    /** The oldest queued stanza, or {@code null} when the queue is empty. */
    @Nullable Stanza poll() {
        if (head == tail) {
            return null;
        }
        int slot = head++ & MASK;
        Stanza s = ring[slot];
        ring[slot] = null;
        return s;
    }

    /** How many stanzas are queued. */
    int queued() {
        return tail - head;
    }

    @Override
    public void close(StreamError error) {
        closed.tryEmitEmpty();
    }

    @Override
    public void close() {
        closed.tryEmitEmpty();
    }

    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    @Override
    public String toString() {
        return "BenchSession[" + jid + "]";
    }
}
