package org.fluxmpp.transport.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.namespace.QName;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.transport.SaslMechanism;
import org.fluxmpp.transport.sasl.SaslCondition;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * One bound server's Micrometer meters, named in Micrometer's convention (lower-case, dot-separated; the registry
 * renders them for its backend, {@code xmpp_server_stanzas_total} in Prometheus):
 *
 * <ul>
 *   <li>{@code xmpp.server.connections} (gauge, tag {@code transport}: {@code tcp} or {@code websocket}): open
 *       streams, negotiating or bound;</li>
 *   <li>{@code xmpp.server.sessions} (gauge, tag {@code transport}): bound sessions (RFC 6120 7);</li>
 *   <li>{@code xmpp.server.stanzas} (counter, tags {@code direction} {@code in}/{@code out}, {@code kind}
 *       {@code message}/{@code presence}/{@code iq}): stanzas read from and written to clients;</li>
 *   <li>{@code xmpp.server.stanza.errors} (counter, tags {@code direction}, {@code condition}): stanzas of type
 *       {@code error} by their RFC 6120 8.3.3 condition;</li>
 *   <li>{@code xmpp.server.stream.errors} (counter, tag {@code condition}): streams the server ended with a stream
 *       error (RFC 6120 4.9.3);</li>
 *   <li>{@code xmpp.server.logins} (counter, tags {@code mechanism}, {@code outcome} {@code success}/{@code failure},
 *       {@code condition}): SASL exchanges by mechanism and, for failures, RFC 6120 6.5's condition;</li>
 *   <li>{@code xmpp.server.outbound.queued} (gauge): stanzas waiting in all sessions' outbound queues, summed when
 *       the registry reads it, so the hot path pays nothing for it.</li>
 * </ul>
 *
 * <p>Tag values come from closed sets (the RFCs' conditions, the configured mechanisms), never from peer input, so
 * the number of series stays bounded. Without a registry the server records into an empty composite registry, whose
 * meters do nothing.
 */
public final class ServerMetrics {

    /** The {@code transport} tag of TCP streams (STARTTLS and direct TLS). */
    public static final String TCP = "tcp";
    /** The {@code transport} tag of XMPP over WebSocket (RFC 7395). */
    public static final String WEBSOCKET = "websocket";

    private static final QName ERROR = new QName(Stanza.CLIENT_NAMESPACE, "error");

    private final MeterRegistry registry;
    private final AtomicInteger tcpConnections = new AtomicInteger();
    private final AtomicInteger webSocketConnections = new AtomicInteger();
    private final AtomicInteger tcpSessions = new AtomicInteger();
    private final AtomicInteger webSocketSessions = new AtomicInteger();
    private final Counter[] in = new Counter[3];
    private final Counter[] out = new Counter[3];

    /** Registers this server's meters; {@code streams} is read for the outbound queue gauge. */
    public ServerMetrics(MeterRegistry registry, OpenStreams streams) {
        this.registry = registry;
        gauge("xmpp.server.connections", TCP, tcpConnections, "Open client streams, negotiating or bound");
        gauge("xmpp.server.connections", WEBSOCKET, webSocketConnections, "Open client streams, negotiating or bound");
        gauge("xmpp.server.sessions", TCP, tcpSessions, "Bound client sessions");
        gauge("xmpp.server.sessions", WEBSOCKET, webSocketSessions, "Bound client sessions");
        String[] kinds = {"message", "presence", "iq"};
        for (int i = 0; i < kinds.length; i++) {
            in[i] = stanzaCounter("in", kinds[i]);
            out[i] = stanzaCounter("out", kinds[i]);
        }
        Gauge.builder("xmpp.server.outbound.queued", streams, OpenStreams::queuedStanzas)
                .description("Stanzas waiting in the sessions' outbound queues")
                .baseUnit("stanzas")
                .register(registry);
    }

    private void gauge(String name, String transport, AtomicInteger value, String description) {
        Gauge.builder(name, value, AtomicInteger::get).tag("transport", transport).description(description)
                .register(registry);
    }

    private Counter stanzaCounter(String direction, String kind) {
        return Counter.builder("xmpp.server.stanzas").tags("direction", direction, "kind", kind)
                .description("Stanzas read from and written to clients").baseUnit("stanzas").register(registry);
    }

    /** A stream opened on a connection of this transport. */
    void connectionOpened(String transport) {
        (transport.equals(TCP) ? tcpConnections : webSocketConnections).incrementAndGet();
    }

    /** A stream ended; {@code bound} says whether it had become a session. */
    void connectionClosed(String transport, boolean bound) {
        (transport.equals(TCP) ? tcpConnections : webSocketConnections).decrementAndGet();
        if (bound) {
            (transport.equals(TCP) ? tcpSessions : webSocketSessions).decrementAndGet();
        }
    }

    /** A stream bound its resource. */
    void sessionBound(String transport) {
        (transport.equals(TCP) ? tcpSessions : webSocketSessions).incrementAndGet();
    }

    /** A stanza read from a client. */
    void stanzaIn(XmlElement stanza) {
        count(in, stanza, "in");
    }

    /** A stanza element written to a client. */
    void stanzaOut(XmlElement stanza) {
        count(out, stanza, "out");
    }

    private void count(Counter[] counters, XmlElement stanza, String direction) {
        String name = stanza.localName();
        int kind = name.equals("message") ? 0 : name.equals("presence") ? 1 : name.equals("iq") ? 2 : -1;
        if (kind < 0) {
            return;
        }
        counters[kind].increment();
        if ("error".equals(stanza.attribute("type"))) {
            XmlElement error = stanza.child(ERROR);
            // An unknown or missing condition reads as undefined-condition (RFC 6120 8.3.3.21).
            StanzaError.Condition condition = error == null ? StanzaError.Condition.UNDEFINED_CONDITION
                    : StanzaError.fromElement(error).condition();
            registry.counter("xmpp.server.stanza.errors", Tags.of("direction", direction, "condition",
                    condition.elementName())).increment();
        }
    }

    /** The server ended a stream with this error. */
    void streamError(StreamError error) {
        registry.counter("xmpp.server.stream.errors", "condition", error.condition().elementName()).increment();
    }

    /** A SASL exchange succeeded. */
    void loginSucceeded(SaslMechanism mechanism) {
        registry.counter("xmpp.server.logins", "mechanism", mechanism.mechanismName(), "outcome", "success",
                "condition", "none").increment();
    }

    /** A SASL exchange failed; {@code mechanism} is null when the client named none the server knows. */
    void loginFailed(@Nullable SaslMechanism mechanism, SaslCondition condition) {
        registry.counter("xmpp.server.logins", "mechanism", mechanism == null ? "unknown" : mechanism.mechanismName(),
                "outcome", "failure", "condition", condition.elementName()).increment();
    }
}
