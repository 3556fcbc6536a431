package org.fluxmpp.router;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stanza.StanzaErrorException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.MonoSink;

/**
 * The IQ requests the server sent and waits for, by the address asked and the id (RFC 6120 section 8.2.3: a
 * response carries the request's id; its {@code from}, stamped by the server, is the entity asked). Shared by every
 * copy of an {@link XmppRouter}, like its registry. Thread-safe.
 */
final class PendingRequests {

    /** A request: whom it went to, and its id. */
    record Key(Jid peer, String id) {
    }

    private final ConcurrentHashMap<Key, MonoSink<Iq>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    /**
     * Registers a request.
     *
     * @return {@code null} when registered, otherwise why not: too many pending, or the same id to the same
     *         address is pending already
     */
    @Nullable RuntimeException register(Key key, MonoSink<Iq> sink, int max) {
        if (size.incrementAndGet() > max) {
            size.decrementAndGet();
            return new IllegalStateException("too many IQ requests pending (" + max + ")");
        }
        if (pending.putIfAbsent(key, sink) != null) {
            size.decrementAndGet();
            return new IllegalStateException("an IQ request with id " + key.id() + " to " + key.peer()
                    + " is pending already");
        }
        return null;
    }

    /** Forgets a request, only when {@code sink} is still the one waiting (cancelled, timed out, answered). */
    void remove(Key key, MonoSink<Iq> sink) {
        if (pending.remove(key, sink)) {
            size.decrementAndGet();
        }
    }

    /**
     * Completes the request this response answers: a result completes it with the response, an error signals
     * {@link StanzaErrorException} with its stanza error.
     *
     * @return whether a request waited for it
     */
    boolean complete(Iq response) {
        if (response.isRequest() || pending.isEmpty()) {
            return false;
        }
        Jid from;
        try {
            from = response.from();
        } catch (JidFormatException e) {
            return false;
        }
        if (from == null) {
            return false;
        }
        MonoSink<Iq> sink = pending.remove(new Key(from, response.id()));
        if (sink == null) {
            return false;
        }
        size.decrementAndGet();
        if (response.isError()) {
            StanzaError error = response.error();
            sink.error(new StanzaErrorException(error == null
                    ? StanzaError.of(StanzaError.Condition.UNDEFINED_CONDITION) : error));
        } else {
            sink.success(response);
        }
        return true;
    }

    /** How many requests wait. */
    int size() {
        return size.get();
    }
}
