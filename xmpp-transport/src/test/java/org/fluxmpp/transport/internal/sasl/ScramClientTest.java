package org.fluxmpp.transport.internal.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.fluxmpp.transport.SaslFailureException;
import org.fluxmpp.transport.sasl.ScramHash;
import org.junit.jupiter.api.Test;

/** The client side of SCRAM against the RFCs' own examples, and what it must refuse. */
class ScramClientTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void rfc5802Sha1Example() {
        ScramClient c = new ScramClient(ScramHash.SHA_1, "user", "pencil", null, null, false,
                "fyko+d2lbbFgONRv9qkxdawL");
        assertThat(string(c.clientFirst())).isEqualTo("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
        assertThat(string(c.clientFinal(bytes(
                "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"))))
                .isEqualTo("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
        c.verifyServerFinal(bytes("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="));
    }

    @Test
    void rfc7677Sha256Example() {
        ScramClient c = new ScramClient(ScramHash.SHA_256, "user", "pencil", null, null, false,
                "rOprNGfwEbeRWgbNEkqO");
        assertThat(string(c.clientFirst())).isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        assertThat(string(c.clientFinal(bytes("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"))))
                .isEqualTo("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                        + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        c.verifyServerFinal(bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
    }

    @Test
    void aWrongServerSignatureFailsTheLogin() {
        ScramClient c = new ScramClient(ScramHash.SHA_1, "user", "pencil", null, null, false,
                "fyko+d2lbbFgONRv9qkxdawL");
        c.clientFirst();
        c.clientFinal(bytes("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"));
        assertThatThrownBy(() -> c.verifyServerFinal(bytes("v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=")))
                .isInstanceOf(SaslFailureException.class).hasMessageContaining("signature");
        assertThatThrownBy(() -> c.verifyServerFinal(bytes("e=other-error")))
                .isInstanceOf(SaslFailureException.class).hasMessageContaining("other-error");
    }

    @Test
    void aServerNonceThatDoesNotExtendTheClientsIsRefused() {
        ScramClient c = new ScramClient(ScramHash.SHA_1, "user", "pencil", null, null, false, "abc");
        c.clientFirst();
        assertThatThrownBy(() -> c.clientFinal(bytes("r=xyz123,s=QSXCR+Q6sek8bf92,i=4096")))
                .isInstanceOf(SaslFailureException.class);
        assertThatThrownBy(() -> c.clientFinal(bytes("r=abc,s=QSXCR+Q6sek8bf92,i=4096")))
                .as("the server must add its own part").isInstanceOf(SaslFailureException.class);
        assertThatThrownBy(() -> c.clientFinal(bytes("m=ext,r=abc1,s=QSXCR+Q6sek8bf92,i=4096")))
                .as("an unknown mandatory extension").isInstanceOf(SaslFailureException.class);
        assertThatThrownBy(() -> c.clientFinal(bytes("r=abc1,s=QSXCR+Q6sek8bf92,i=2000000000")))
                .as("an absurd iteration count").isInstanceOf(SaslFailureException.class);
    }

    @Test
    void gs2HeaderSaysWhatTheClientCanBind() {
        assertThat(string(new ScramClient(ScramHash.SHA_1, "u", "p", null, null, false, "n1").clientFirst()))
                .startsWith("n,,");
        assertThat(string(new ScramClient(ScramHash.SHA_1, "u", "p", null, null, true, "n1").clientFirst()))
                .startsWith("y,,");
        ScramClient plus = new ScramClient(ScramHash.SHA_1, "u", "p", "tls-exporter", new byte[] {1, 2}, true, "n1");
        assertThat(string(plus.clientFirst())).startsWith("p=tls-exporter,,");
        String clientFinal = string(plus.clientFinal(bytes("r=n1srv,s=QSXCR+Q6sek8bf92,i=4096")));
        byte[] cbind = Base64.getDecoder().decode(clientFinal.substring(2, clientFinal.indexOf(',')));
        assertThat(string(cbind).substring(0, 16)).isEqualTo("p=tls-exporter,,");
        assertThat(cbind).endsWith(1, 2);
    }

    @Test
    void usernamesAreEscaped() {
        assertThat(ScramClient.encodeSaslName("a,b=c")).isEqualTo("a=2Cb=3Dc");
        assertThat(ScramServer.decodeSaslName(ScramClient.encodeSaslName("=,x"))).isEqualTo("=,x");
    }
}
