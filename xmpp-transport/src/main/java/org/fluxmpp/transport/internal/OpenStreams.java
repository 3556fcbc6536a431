package org.fluxmpp.transport.internal;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.stream.StreamError;
import org.jspecify.annotations.Nullable;

/**
 * A server's open streams (negotiating or bound), so that stopping can end every one of them with
 * {@code system-shutdown} (RFC 6120 4.9.3.20), including one accepted while the server was stopping: it ends itself
 * as soon as it registers; and so that a server can send its clients elsewhere the same way.
 */
public final class OpenStreams {

    private static final StreamError SHUTDOWN = StreamError.of(StreamError.Condition.SYSTEM_SHUTDOWN);

    private final Set<C2sConnection> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private volatile @Nullable Redirect redirect;

    /**
     * Where a server sends its clients (RFC 6120 4.9.3.19, RFC 7395 3.6.1).
     *
     * @param otherHost      for TCP streams: {@code see-other-host}'s content, host[:port]
     * @param otherWebSocket for WebSocket streams: {@code see-other-uri}
     */
    public record Redirect(String otherHost, URI otherWebSocket) {
    }

    /** Registers a new stream; when the server is stopping it is ended at once. */
    public void add(C2sConnection stream) {
        streams.add(stream);
        // After the add: either stop() sees this stream, or this sees stopping (or both; closing twice is harmless).
        if (stopping) {
            stream.close(SHUTDOWN);
        }
        Redirect r = redirect;
        if (r != null) {
            stream.redirect(r);
        }
    }

    /** Ends the streams authenticated as this account (negotiating or bound) with this error. */
    public void end(BareJid account, StreamError error) {
        for (C2sConnection stream : streams) {
            if (account.equals(stream.account())) {
                stream.close(error);
            }
        }
    }

    /** Sends every open stream, and every one that registers from now on, elsewhere. */
    public void redirect(Redirect to) {
        redirect = to;
        for (C2sConnection stream : streams) {
            stream.redirect(to);
        }
    }

    /** Forgets a stream that has ended. */
    public void remove(C2sConnection stream) {
        streams.remove(stream);
    }

    /** Ends every open stream, and every one that registers from now on, with {@code system-shutdown}. */
    public void stop() {
        stopping = true;
        for (C2sConnection stream : streams) {
            stream.close(SHUTDOWN);
        }
    }

    /** The number of open streams. */
    public int size() {
        return streams.size();
    }

    /** The stanzas waiting in all open streams' outbound queues, summed now (for a metrics gauge). */
    public double queuedStanzas() {
        long sum = 0;
        for (C2sConnection stream : streams) {
            sum += stream.queuedStanzas();
        }
        return sum;
    }

    /** Whether no stream is open. */
    public boolean isEmpty() {
        return streams.isEmpty();
    }
}
