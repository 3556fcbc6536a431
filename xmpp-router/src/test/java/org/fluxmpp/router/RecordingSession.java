package org.fluxmpp.router;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stream.StreamError;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A session that records what is delivered to it, for unit tests of the router: a bounded queue (a full one refuses,
 * as a real session's overflow policy would), a switch to refuse everything, and a settable last activity.
 */
final class RecordingSession implements XmppSession {

    private static final int DEFAULT_CAPACITY = 1_000;

    private final FullJid jid;
    private final int capacity;
    private final List<Stanza> received = new ArrayList<>();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private volatile boolean accepting = true;
    private volatile Instant lastActivity;
    private volatile @Nullable StreamError closedWith;
    private volatile boolean closedNormally;

    RecordingSession(String jid) {
        this(jid, Instant.EPOCH, DEFAULT_CAPACITY);
    }

    RecordingSession(String jid, Instant lastActivity) {
        this(jid, lastActivity, DEFAULT_CAPACITY);
    }

    RecordingSession(String jid, Instant lastActivity, int capacity) {
        this.jid = FullJid.parse(jid);
        this.lastActivity = lastActivity;
        this.capacity = capacity;
    }

    /** Makes {@link #deliver} refuse (return false) or accept again. */
    RecordingSession accepting(boolean accepting) {
        this.accepting = accepting;
        return this;
    }

    RecordingSession lastActivity(Instant lastActivity) {
        this.lastActivity = lastActivity;
        return this;
    }

    /** A snapshot of what was delivered, in order. */
    synchronized List<Stanza> received() {
        return List.copyOf(received);
    }

    @Nullable StreamError closedWith() {
        return closedWith;
    }

    boolean isClosed() {
        return closedWith != null || closedNormally;
    }

    @Override
    public FullJid jid() {
        return jid;
    }

    @Override
    public String streamId() {
        return "stream-" + jid.resourcepart();
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
    public synchronized boolean deliver(Stanza stanza) {
        if (!accepting || isClosed() || received.size() >= capacity) {
            return false;
        }
        received.add(stanza);
        return true;
    }

    @Override
    public void close(StreamError error) {
        closedWith = error;
        closed.tryEmitEmpty();
    }

    @Override
    public void close() {
        closedNormally = true;
        closed.tryEmitEmpty();
    }

    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    @Override
    public String toString() {
        return "RecordingSession[" + jid + "]";
    }
}
