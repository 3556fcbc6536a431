package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client's SCRAM -PLUS with {@code tls-exporter} (RFC 9266), preferred over {@code tls-server-end-point} where
 * both ends' engines export keying material: the JDK's, from Java 25 (this class runs in the Temurin 25 execution).
 */
class XmppClientTlsExporterJdk25Test {

    @ParameterizedTest
    @EnumSource(value = SaslMechanism.class, names = {"SCRAM_SHA_512_PLUS", "SCRAM_SHA_256_PLUS", "SCRAM_SHA_1_PLUS"})
    void scramPlusBindsToTlsExporter(SaslMechanism mechanism) {
        try (TestServer server = TestServer.start(s -> s.secure(TestServer.tls().withJdkProvider()))
                .account("ivy", "ivy-pw")) {
            XmppConnection c = XmppClient.create().jid("ivy@localhost").password("ivy-pw")
                    .host("127.0.0.1").port(server.port()).mechanisms(mechanism)
                    .secure(tls -> tls.trustManager(TestServer.trustManager()).withJdkProvider())
                    .connect().block(Duration.ofSeconds(20));
            try {
                assertThat(c.saslMechanism()).isEqualTo(mechanism);
                assertThat(c.channelBinding()).isEqualTo("tls-exporter");
            } finally {
                c.close().block(Duration.ofSeconds(10));
            }
        }
    }
}
