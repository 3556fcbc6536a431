package org.fluxmpp.spring.boot;

import java.time.Duration;
import java.util.Objects;
import org.fluxmpp.transport.XmppClient;
import org.fluxmpp.transport.XmppConnection;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * An {@link XmppClient}'s connection bound to a Spring application context: connected (with the client's reconnect
 * policy) when the context starts, after an embedded {@link XmppServerLifecycle}, and closed cleanly (RFC 6120 4.4)
 * when it stops. Start-up fails when the first connection fails (wrong password, untrusted certificate, no server):
 * an application that cannot reach its XMPP account says so at once.
 *
 * <pre>{@code
 * @Autowired XmppClientLifecycle xmpp;
 * xmpp.connection().inbound().ofType(Message.class).subscribe(...);
 * }</pre>
 */
public final class XmppClientLifecycle implements SmartLifecycle {

    /** How long start-up waits for the first connection, in addition to the client's connect timeout. */
    private static final Duration LOGIN_GRACE = Duration.ofSeconds(30);

    private final XmppClient client;
    private volatile @Nullable XmppConnection connection;

    /** Manages a connection of this client. */
    public XmppClientLifecycle(XmppClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * The connection.
     *
     * @throws IllegalStateException before the context started it, or after it stopped
     */
    public XmppConnection connection() {
        XmppConnection c = connection;
        if (c == null) {
            throw new IllegalStateException("the XMPP client is not connected");
        }
        return c;
    }

    @Override
    public synchronized void start() {
        if (connection == null) {
            connection = client.connect().block(client.connectTimeout().plus(LOGIN_GRACE));
        }
    }

    @Override
    public synchronized void stop() {
        XmppConnection c = connection;
        connection = null;
        if (c != null) {
            c.close().block(Duration.ofSeconds(XmppServerLifecycle.SHUTDOWN_SECONDS));
        }
    }

    @Override
    public boolean isRunning() {
        return connection != null;
    }

    @Override
    public int getPhase() {
        // Connects after an embedded server starts; disconnects before it stops.
        return XmppServerLifecycle.PHASE + 1;
    }
}
