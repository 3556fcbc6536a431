package org.fluxmpp.spring.boot;

import java.util.Objects;
import org.fluxmpp.transport.BoundXmppServer;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Actuator health of the embedded XMPP server ({@code /actuator/health/fluxmpp}): UP while it listens, with its
 * domains, ports and open streams; DOWN when it is not running or its ports are closed.
 */
public final class FluxmppHealthIndicator extends AbstractHealthIndicator {

    private final XmppServerLifecycle server;

    /** Reports on this server. */
    public FluxmppHealthIndicator(XmppServerLifecycle server) {
        super("XMPP server health check failed");
        this.server = Objects.requireNonNull(server, "server");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("domains", server.config().domains());
        BoundXmppServer running = server.serverIfRunning();
        if (running == null || running.isDisposed()) {
            builder.down().withDetail("reason", "not running");
            return;
        }
        builder.up()
                .withDetail("port", running.port())
                .withDetail("streams", running.streamCount());
        if (running.directTlsPort() >= 0) {
            builder.withDetail("directTlsPort", running.directTlsPort());
        }
        if (running.webSocketPort() >= 0) {
            builder.withDetail("webSocketPort", running.webSocketPort());
        }
    }
}
