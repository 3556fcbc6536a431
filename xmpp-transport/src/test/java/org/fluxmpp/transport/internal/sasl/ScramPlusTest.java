package org.fluxmpp.transport.internal.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.fluxmpp.transport.internal.sasl.ScramServerTest.b64;
import static org.fluxmpp.transport.internal.sasl.ScramServerTest.challenge;
import static org.fluxmpp.transport.internal.sasl.ScramServerTest.failure;
import static org.fluxmpp.transport.internal.sasl.ScramServerTest.step;
import static org.fluxmpp.transport.internal.sasl.ScramServerTest.store;
import static org.fluxmpp.transport.internal.sasl.ScramServerTest.success;
import static org.fluxmpp.transport.internal.sasl.ScramServerTest.text;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.SaslCondition;
import org.fluxmpp.transport.sasl.ScramHash;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SCRAM -PLUS (RFC 5802 section 6) with tls-server-end-point (RFC 5929), and downgrade detection. */
class ScramPlusTest {

    private static final String DOMAIN = "example.com";
    private static X509Certificate certificate;
    private static X509Certificate otherCertificate;
    private static CredentialStore store;

    @BeforeAll
    static void setUp() {
        certificate = ServerTls.selfSigned("example.com").certificate();
        otherCertificate = ServerTls.selfSigned("example.com").certificate();
        store = store(Map.of(BareJid.of("user", DOMAIN), Credentials.fromPassword("pencil")));
    }

    private static ScramServer plusServer(ScramHash hash) {
        return new ScramServer(hash, true, ChannelBinding.of(certificate, null), true, DOMAIN, store);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void serverEndPointIsTheSha256OfTheCertificateForAnEcdsaSha256Certificate() throws Exception {
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(ChannelBinding.of(certificate, null).data(ChannelBinding.TLS_SERVER_END_POINT))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        // Without a TLS session there is nothing to export keys from.
        assertThat(ChannelBinding.of(certificate, null).types()).containsExactly(ChannelBinding.TLS_SERVER_END_POINT);
        assertThat(ChannelBinding.NONE.available()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ScramHash.class)
    void plusSucceedsWhenBothEndsBindTheSameCertificate(ScramHash hash) {
        String gs2 = "p=tls-server-end-point,,";
        ScramServerTest.Client client = new ScramServerTest.Client(hash, gs2, "user", "pencil");
        ScramServer server = plusServer(hash);
        String serverFirst = text(challenge(step(server, client.first())));
        byte[] cbind = concat(gs2.getBytes(UTF_8), ChannelBinding.serverEndPoint(certificate));
        SaslStep.Success ok = success(step(server, client.finalMessage(serverFirst, b64(cbind),
                ScramServerTest.attribute(serverFirst, "r"))));
        assertThat(ok.account()).isEqualTo(BareJid.of("user", DOMAIN));
        assertThat(text(ok.additionalData())).isEqualTo(client.expectedServerFinal());
    }

    @Test
    void plusFailsWhenTheClientSawAnotherCertificate() {
        String gs2 = "p=tls-server-end-point,,";
        ScramServerTest.Client client = new ScramServerTest.Client(ScramHash.SHA_256, gs2, "user", "pencil");
        ScramServer server = plusServer(ScramHash.SHA_256);
        String serverFirst = text(challenge(step(server, client.first())));
        // A man in the middle terminates TLS with its own certificate: the client's binding data differs.
        byte[] cbind = concat(gs2.getBytes(UTF_8), ChannelBinding.serverEndPoint(otherCertificate));
        assertThat(failure(step(server, client.finalMessage(serverFirst, b64(cbind),
                ScramServerTest.attribute(serverFirst, "r"))))).isEqualTo(SaslCondition.NOT_AUTHORIZED);
    }

    @Test
    void plusNeedsAChannelBindingRequestOfASupportedType() {
        assertThat(failure(step(plusServer(ScramHash.SHA_256), "n,,n=user,r=abc")))
                .isEqualTo(SaslCondition.MALFORMED_REQUEST);
        assertThat(failure(step(plusServer(ScramHash.SHA_256), "p=tls-unique,,n=user,r=abc")))
                .isEqualTo(SaslCondition.MALFORMED_REQUEST);
    }

    @Test
    void theYFlagIsADowngradeWhenPlusWasOfferedAndFineWhenItWasNot() {
        ScramServer offered = new ScramServer(ScramHash.SHA_256, false, ChannelBinding.of(certificate, null), true,
                DOMAIN, store);
        assertThat(failure(step(offered, "y,,n=user,r=abc"))).isEqualTo(SaslCondition.NOT_AUTHORIZED);

        ScramServer notOffered = new ScramServer(ScramHash.SHA_256, false, ChannelBinding.of(certificate, null),
                false, DOMAIN, store);
        assertThat(challenge(step(notOffered, "y,,n=user,r=abc"))).isNotEmpty();
    }
}
