package org.fluxmpp.session;

import java.time.Instant;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stream.StreamError;
import reactor.core.publisher.Mono;

/**
 * One authenticated XMPP session with a bound resource (RFC 6120 section 7): what routes and the router see of a
 * stream, whatever transport carries it.
 *
 * <pre>{@code
 * XmppSession s = registry.find(jid);
 * if (s != null && !s.deliver(message)) { ... the session is gone or its queue overflowed ... }
 * }</pre>
 *
 * <p>Implementations are thread-safe: any thread may deliver to a session.
 */
public interface XmppSession {

    /** The full JID bound to this session. */
    FullJid jid();

    /** The stream id the server chose for this session's stream. */
    String streamId();

    /** Whether the stream is protected by TLS. */
    boolean isSecure();

    /** When the session last sent a stanza (or bound), for "most recently active resource" decisions. */
    Instant lastActivity();

    /**
     * Queues a stanza for sending to this session's peer, without waiting. The queue is bounded: when it is full
     * the session's overflow policy applies (by default the session ends with {@code policy-violation}).
     *
     * @return {@code true} when queued; {@code false} when the session is closed or the stanza was refused by the
     *         overflow policy, so the caller can answer the sender as RFC 6120 section 10 says
     */
    boolean deliver(Stanza stanza);

    /** Ends the stream with this stream error, then closes the connection (RFC 6120 section 4.9). */
    void close(StreamError error);

    /** Ends the stream normally with {@code </stream:stream>} (RFC 6120 section 4.4). */
    void close();

    /** Completes when the session has ended, whatever the cause. */
    Mono<Void> onClose();
}
