package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.fluxmpp.transport.sasl.ScramHash;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SCRAM -PLUS bound with tls-exporter (RFC 9266), which needs the JDK to export TLS keying material (JDK 25's
 * {@code ExtendedSSLSession.exportKeyingMaterialData}). The build runs this class on the Temurin 25 JDK only (see
 * xmpp-transport's pom), server and client in one JVM over a real TLS 1.3 socket.
 */
class TlsExporterJdk25Test {

    @Test
    void runsOnAJdkThatExportsKeyingMaterial() throws Exception {
        assertThat(javax.net.ssl.ExtendedSSLSession.class.getMethod("exportKeyingMaterialData", String.class,
                byte[].class, int.class)).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(ScramHash.class)
    void scramPlusWithTlsExporter(ScramHash hash) throws Exception {
        // The JDK's engine: it is the one that exports keying material (OpenSSL's does not, through the JDK API).
        try (TestServer server = TestServer.start(s -> s.secure(TestServer.tls().withJdkProvider()))
                .account("ivy", "ivy-pw");
             RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            XmlElement features = c.startTls();
            // XEP-0440: tls-exporter is advertised first, as the better binding, under TLS 1.3.
            assertThat(features.child("urn:xmpp:sasl-cb:0", "sasl-channel-binding").children())
                    .extracting(cb -> cb.attribute("type")).containsExactly("tls-exporter", "tls-server-end-point");
            boolean[] serverProved = new boolean[1];
            XmlElement answer = c.scram(hash, "tls-exporter", "ivy", "ivy-pw", serverProved);
            assertThat(answer.localName()).as(answer.toString()).isEqualTo("success");
            assertThat(serverProved[0]).isTrue();
        }
    }
}
