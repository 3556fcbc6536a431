package org.fluxmpp.transport.internal.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Supplier;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.fluxmpp.transport.sasl.SaslCondition;
import org.fluxmpp.transport.sasl.ScramHash;
import org.fluxmpp.transport.sasl.ScramKeys;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The server side of SCRAM (RFC 5802, RFC 7677): client-first, server-first, client-final, server-final, with
 * channel binding for the -PLUS variants (RFC 5802 section 6).
 *
 * <p>Downgrade protection: a client that supports channel binding but thinks the server does not sends the flag
 * {@code y}; when this server did offer -PLUS on the stream, that means someone removed it on the way, and the
 * exchange fails (RFC 5802 section 6).
 *
 * <p>An unknown account is not revealed: the exchange goes on with a salt derived from the username and a secret of
 * this server, and fails only at the proof, exactly as a wrong password does (RFC 5802 section 9).
 */
public final class ScramServer implements SaslServer {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] DECOY_SECRET = new byte[32];

    static {
        RANDOM.nextBytes(DECOY_SECRET);
    }

    private enum State { INITIAL, SENT_SERVER_FIRST, DONE }

    private final ScramHash hash;
    private final String domain;
    private final CredentialStore store;
    private final Supplier<String> serverNonce;
    private final boolean plus;
    private final ChannelBinding channel;
    private final boolean plusOffered;
    private byte[] channelData = new byte[0];

    private State state = State.INITIAL;
    private @Nullable BareJid account;
    private @Nullable ScramKeys keys;
    private String gs2Header = "";
    private String clientFirstBare = "";
    private String serverFirst = "";
    private String nonce = "";

    /** An exchange without channel binding, on a stream where no -PLUS was offered. */
    public ScramServer(ScramHash hash, String domain, CredentialStore store) {
        this(hash, false, ChannelBinding.NONE, false, domain, store, ScramServer::randomNonce);
    }

    /**
     * An exchange for accounts of this domain.
     *
     * @param plus        whether the client chose the -PLUS variant
     * @param channel     the bindings of this stream's TLS channel
     * @param plusOffered whether this stream offered -PLUS mechanisms (for downgrade detection)
     */
    public ScramServer(ScramHash hash, boolean plus, ChannelBinding channel, boolean plusOffered, String domain,
                       CredentialStore store) {
        this(hash, plus, channel, plusOffered, domain, store, ScramServer::randomNonce);
    }

    /** An exchange whose server nonce part comes from this supplier (for the RFC test vectors). */
    ScramServer(ScramHash hash, String domain, CredentialStore store, Supplier<String> serverNonce) {
        this(hash, false, ChannelBinding.NONE, false, domain, store, serverNonce);
    }

    ScramServer(ScramHash hash, boolean plus, ChannelBinding channel, boolean plusOffered, String domain,
                CredentialStore store, Supplier<String> serverNonce) {
        this.hash = hash;
        this.plus = plus;
        this.channel = channel;
        this.plusOffered = plusOffered;
        this.domain = domain;
        this.store = store;
        this.serverNonce = serverNonce;
    }

    /** 18 random bytes in Base64: 24 printable characters, none of them a comma. */
    static String randomNonce() {
        byte[] nonceBytes = new byte[18];
        RANDOM.nextBytes(nonceBytes);
        return Base64.getEncoder().encodeToString(nonceBytes);
    }

    @Override
    public Mono<SaslStep> evaluate(byte[] response) {
        return switch (state) {
            case INITIAL -> clientFirst(new String(response, StandardCharsets.UTF_8));
            case SENT_SERVER_FIRST -> Mono.fromSupplier(() -> clientFinal(new String(response, StandardCharsets.UTF_8)));
            case DONE -> failure(SaslCondition.MALFORMED_REQUEST, "the exchange is over");
        };
    }

    private Mono<SaslStep> clientFirst(String message) {
        if (message.isEmpty()) {
            // No initial response: an empty challenge asks for it (RFC 6120 6.4.2).
            return Mono.just(new SaslStep.Challenge(new byte[0]));
        }
        // gs2-header = gs2-cbind-flag "," [ authzid ] ","
        int c1 = message.indexOf(',');
        int c2 = c1 < 0 ? -1 : message.indexOf(',', c1 + 1);
        if (c2 < 0) {
            return failure(SaslCondition.MALFORMED_REQUEST, "missing GS2 header");
        }
        String cbindFlag = message.substring(0, c1);
        if (cbindFlag.startsWith("p=")) {
            if (!plus) {
                return failure(SaslCondition.MALFORMED_REQUEST,
                        "channel binding requested on a mechanism without it");
            }
            byte[] data = channel.data(cbindFlag.substring(2));
            if (data == null) {
                return failure(SaslCondition.MALFORMED_REQUEST, "unsupported channel binding type "
                        + cbindFlag.substring(2) + "; this channel offers " + channel.types());
            }
            channelData = data;
        } else if (plus) {
            return failure(SaslCondition.MALFORMED_REQUEST, "a -PLUS mechanism needs channel binding (p=)");
        } else if (cbindFlag.equals("y")) {
            if (plusOffered) {
                return failure(SaslCondition.NOT_AUTHORIZED,
                        "channel binding was offered but the client saw none: a downgrade");
            }
        } else if (!cbindFlag.equals("n")) {
            return failure(SaslCondition.MALFORMED_REQUEST, "bad channel binding flag");
        }
        String authzid = message.substring(c1 + 1, c2);
        gs2Header = message.substring(0, c2 + 1);
        clientFirstBare = message.substring(c2 + 1);
        String[] attrs = clientFirstBare.split(",", -1);
        if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=") || attrs[1].length() < 3) {
            return failure(SaslCondition.MALFORMED_REQUEST, "expected n=username,r=nonce");
        }
        String username = decodeSaslName(attrs[0].substring(2));
        if (username == null) {
            return failure(SaslCondition.MALFORMED_REQUEST, "bad username encoding");
        }
        BareJid jid;
        try {
            jid = BareJid.of(username, domain);
        } catch (JidFormatException e) {
            jid = null;
        }
        if (!authzid.isEmpty()) {
            String requested = authzid.startsWith("a=") ? decodeSaslName(authzid.substring(2)) : null;
            if (requested == null || jid == null || !jid.equals(BareJid.parseOrNull(requested))) {
                return failure(SaslCondition.INVALID_AUTHZID, null);
            }
        }
        account = jid;
        nonce = attrs[1].substring(2) + serverNonce.get();
        Mono<ScramKeys> lookup = jid == null ? Mono.empty()
                : store.find(jid).mapNotNull(c -> c.keys(hash));
        String name = username;
        return lookup
                .map(k -> {
                    keys = k;
                    return serverFirst(k.salt(), k.iterations());
                })
                .switchIfEmpty(Mono.fromSupplier(() -> serverFirst(decoySalt(name), ScramKeys.DEFAULT_ITERATIONS)))
                .onErrorResume(e -> failure(SaslCondition.TEMPORARY_AUTH_FAILURE, null));
    }

    private SaslStep serverFirst(byte[] salt, int iterations) {
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
        state = State.SENT_SERVER_FIRST;
        return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    private SaslStep clientFinal(String message) {
        state = State.DONE;
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0 || !message.startsWith("c=")) {
            return new SaslStep.Failure(SaslCondition.MALFORMED_REQUEST, "expected c=...,r=...,p=...");
        }
        String withoutProof = message.substring(0, proofAt);
        String[] attrs = withoutProof.split(",", -1);
        if (attrs.length < 2 || !attrs[1].startsWith("r=")) {
            return new SaslStep.Failure(SaslCondition.MALFORMED_REQUEST, "expected c=...,r=...,p=...");
        }
        byte[] cbind;
        byte[] proof;
        try {
            cbind = Base64.getDecoder().decode(attrs[0].substring(2));
            proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            // The XMPP layer's Base64 was fine (incorrect-encoding is for that, RFC 6120 6.5.5); this is a bad
            // SCRAM message.
            return new SaslStep.Failure(SaslCondition.MALFORMED_REQUEST, "invalid base64 in c= or p=");
        }
        byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
        byte[] expected = Arrays.copyOf(header, header.length + channelData.length);
        System.arraycopy(channelData, 0, expected, header.length, channelData.length);
        if (!MessageDigest.isEqual(cbind, expected)) {
            return new SaslStep.Failure(SaslCondition.NOT_AUTHORIZED, "channel binding data mismatch");
        }
        if (!attrs[1].substring(2).equals(nonce)) {
            return new SaslStep.Failure(SaslCondition.NOT_AUTHORIZED, "nonce mismatch");
        }
        ScramKeys k = keys;
        BareJid jid = account;
        if (k == null || jid == null || proof.length != hash.length()) {
            return new SaslStep.Failure(SaslCondition.NOT_AUTHORIZED, null);
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = hash.hmac(k.storedKey(), authMessage);
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(hash.hash(clientKey), k.storedKey())) {
            return new SaslStep.Failure(SaslCondition.NOT_AUTHORIZED, null);
        }
        byte[] serverSignature = hash.hmac(k.serverKey(), authMessage);
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        Arrays.fill(clientKey, (byte) 0);
        return new SaslStep.Success(jid, serverFinal.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] decoySalt(String username) {
        return Arrays.copyOf(hash.hmac(DECOY_SECRET, username.getBytes(StandardCharsets.UTF_8)), 16);
    }

    /** Decodes a SCRAM saslname ({@code =2C} is a comma, {@code =3D} an equals sign); {@code null} when invalid. */
    static @Nullable String decodeSaslName(String name) {
        if (name.indexOf('=') < 0) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '=') {
                if (name.startsWith("=2C", i)) {
                    sb.append(',');
                } else if (name.startsWith("=3D", i)) {
                    sb.append('=');
                } else {
                    return null;
                }
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Mono<SaslStep> failure(SaslCondition condition, @Nullable String text) {
        return Mono.just(new SaslStep.Failure(condition, text));
    }
}
