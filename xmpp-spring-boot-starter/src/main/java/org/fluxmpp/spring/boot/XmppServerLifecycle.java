package org.fluxmpp.spring.boot;

import java.time.Duration;
import java.util.Objects;
import org.fluxmpp.transport.BoundXmppServer;
import org.fluxmpp.transport.XmppServer;
import org.fluxmpp.transport.sasl.FileCredentialStore;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;

/**
 * An {@link XmppServer} bound to a Spring application context: it starts listening when the context starts and, when
 * the context stops, stops accepting and ends every stream with {@code system-shutdown} (RFC 6120 4.9.3.20), giving
 * them {@value #SHUTDOWN_SECONDS} seconds to say so.
 *
 * <p>It starts after the web server ({@link #PHASE}), so a WebFlux application's port is already open, and stops
 * before it, so WebSocket streams hear {@code system-shutdown} before their connections close. While it runs, a
 * {@link FileCredentialStore} is read again every {@value #ACCOUNTS_POLL_SECONDS} second when its file changes, so
 * the demo server's {@code adduser} and {@code deluser} reach the application (a deleted account's sessions end).
 *
 * <pre>{@code
 * @Autowired XmppServerLifecycle xmpp;
 * int port = xmpp.server().port();
 * }</pre>
 */
public final class XmppServerLifecycle implements SmartLifecycle {

    /** After the web server starts ({@code DEFAULT_PHASE - 1024}), before it stops. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;
    /** How long stopping waits for streams to end: {@value} seconds. */
    public static final int SHUTDOWN_SECONDS = 10;
    /** How often the account file is checked for changes: {@value} second. */
    public static final int ACCOUNTS_POLL_SECONDS = 1;

    private final XmppServer config;
    private volatile @Nullable BoundXmppServer server;
    private @Nullable Disposable accountsWatch;

    /** Manages a server with this configuration. */
    public XmppServerLifecycle(XmppServer config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The server's configuration. */
    public XmppServer config() {
        return config;
    }

    /**
     * The listening server.
     *
     * @throws IllegalStateException when the context has not started it (or has stopped it)
     */
    public BoundXmppServer server() {
        BoundXmppServer s = server;
        if (s == null) {
            throw new IllegalStateException("the XMPP server is not running");
        }
        return s;
    }

    /** The listening server, or {@code null} while it is not running. */
    public @Nullable BoundXmppServer serverIfRunning() {
        return server;
    }

    @Override
    public synchronized void start() {
        if (server == null) {
            server = config.bindNow();
            if (config.sasl().credentials() instanceof FileCredentialStore file) {
                accountsWatch = file.watch(Duration.ofSeconds(ACCOUNTS_POLL_SECONDS));
            }
        }
    }

    @Override
    public synchronized void stop() {
        Disposable watch = accountsWatch;
        accountsWatch = null;
        if (watch != null) {
            watch.dispose();
        }
        BoundXmppServer s = server;
        server = null;
        if (s != null) {
            s.disposeNow(Duration.ofSeconds(SHUTDOWN_SECONDS));
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
