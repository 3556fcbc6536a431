package org.fluxmpp.transport.internal.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.fluxmpp.transport.SaslFailureException;
import org.fluxmpp.transport.sasl.ScramHash;
import org.fluxmpp.transport.sasl.ScramKeys;
import org.jspecify.annotations.Nullable;

/**
 * The client side of SCRAM (RFC 5802, RFC 7677), the counterpart of {@link ScramServer}, sharing its primitives
 * ({@link ScramHash}, {@link ScramKeys}, {@link ChannelBinding}): client-first, client-final with the proof, and the
 * check of the server's signature, which authenticates the server to the client (a wrong one fails the login).
 *
 * <p>Channel binding (RFC 5802 section 6): with a binding type the exchange is a -PLUS one ({@code p=type}); without
 * one, the flag is {@code y} when the client could bind but the server offered no -PLUS (so a server that did offer
 * it detects the downgrade), {@code n} when the client cannot bind at all (no TLS).
 */
public final class ScramClient {

    private final ScramHash hash;
    private final String username;
    private final String password;
    private final String gs2Header;
    private final byte[] channelData;
    private final String clientNonce;
    private String clientFirstBare = "";
    private byte @Nullable [] expectedServerSignature;

    /**
     * An exchange for this account.
     *
     * @param bindingType the channel-binding type for a -PLUS mechanism, or {@code null}
     * @param bindingData its data (ignored without a type)
     * @param couldBind   whether the client supports binding on this channel (sends {@code y} when not binding)
     */
    public ScramClient(ScramHash hash, String username, String password, @Nullable String bindingType,
                       byte @Nullable [] bindingData, boolean couldBind) {
        this(hash, username, password, bindingType, bindingData, couldBind, ScramServer.randomNonce());
    }

    ScramClient(ScramHash hash, String username, String password, @Nullable String bindingType,
                byte @Nullable [] bindingData, boolean couldBind, String clientNonce) {
        this.hash = hash;
        this.username = username;
        this.password = password;
        this.gs2Header = (bindingType != null ? "p=" + bindingType : couldBind ? "y" : "n") + ",,";
        this.channelData = bindingType != null && bindingData != null ? bindingData : new byte[0];
        this.clientNonce = clientNonce;
    }

    /** The client-first message, sent with {@code <auth/>}. */
    public byte[] clientFirst() {
        clientFirstBare = "n=" + encodeSaslName(username) + ",r=" + clientNonce;
        return (gs2Header + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The client-final message for the server-first one.
     *
     * @throws SaslFailureException when the server-first message is malformed, its nonce does not extend ours, or
     *                              its iteration count is absurd
     */
    public byte[] clientFinal(byte[] serverFirstBytes) {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        String nonce = null;
        byte[] salt = null;
        int iterations = -1;
        for (String attr : serverFirst.split(",", -1)) {
            if (attr.startsWith("r=")) {
                nonce = attr.substring(2);
            } else if (attr.startsWith("s=")) {
                salt = base64(attr.substring(2));
            } else if (attr.startsWith("i=")) {
                iterations = parseIterations(attr.substring(2));
            } else if (attr.startsWith("m=")) {
                // RFC 5802 5.1: a mandatory extension this client does not know ends the exchange.
                throw refused("the server requires an unknown SCRAM extension");
            }
        }
        if (nonce == null || salt == null || iterations < 1) {
            throw refused("malformed server-first message");
        }
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw refused("the server's nonce does not extend the client's");
        }
        byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
        byte[] cbind = Arrays.copyOf(header, header.length + channelData.length);
        System.arraycopy(channelData, 0, cbind, header.length, channelData.length);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(cbind) + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] salted = ScramKeys.saltedPassword(hash, ScramKeys.preparePassword(password), salt, iterations);
        byte[] clientKey = ScramKeys.clientKey(hash, salted);
        byte[] clientSignature = hash.hmac(hash.hash(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        expectedServerSignature = hash.hmac(ScramKeys.serverKey(hash, salted), authMessage);
        Arrays.fill(salted, (byte) 0);
        Arrays.fill(clientKey, (byte) 0);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks the server-final message ({@code v=} signature), which came with {@code <success/>}.
     *
     * @throws SaslFailureException when it carries an error ({@code e=}) or a signature other than the one the
     *                              password gives: then the server does not know the password, whatever it says
     */
    public void verifyServerFinal(byte[] serverFinalBytes) {
        String serverFinal = new String(serverFinalBytes, StandardCharsets.UTF_8);
        if (serverFinal.startsWith("e=")) {
            throw refused("the server reported " + serverFinal.substring(2));
        }
        byte[] expected = expectedServerSignature;
        if (expected == null || !serverFinal.startsWith("v=")) {
            throw refused("no server signature");
        }
        int end = serverFinal.indexOf(',');
        byte[] signature = base64(end < 0 ? serverFinal.substring(2) : serverFinal.substring(2, end));
        if (!MessageDigest.isEqual(signature, expected)) {
            throw refused("the server's SCRAM signature is wrong: it does not know the password");
        }
    }

    /** Encodes a SCRAM saslname: {@code ,} becomes {@code =2C} and {@code =} becomes {@code =3D}. */
    static String encodeSaslName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    private static byte[] base64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw refused("invalid base64 from the server");
        }
    }

    private static int parseIterations(String s) {
        try {
            int i = Integer.parseInt(s);
            // A bound on the work a server can make the client do (RFC 7677 recommends at least 4096).
            return i > 10_000_000 ? -1 : i;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static SaslFailureException refused(String why) {
        return new SaslFailureException(null, why);
    }
}
