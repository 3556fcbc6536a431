package org.fluxmpp.transport.internal.sasl;

import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * The TLS channel bindings a SCRAM -PLUS exchange can be bound to (RFC 5056), for one TLS session.
 *
 * <ul>
 *   <li>{@code tls-server-end-point} (RFC 5929 section 4): the hash of the server's certificate, with the hash of its
 *       signature algorithm (SHA-256 where that is MD5 or SHA-1). Available with any TLS version.</li>
 *   <li>{@code tls-exporter} (RFC 9266): 32 bytes exported with the label {@code EXPORTER-Channel-Binding} and no
 *       context; only under TLS 1.3, and only where the JDK exports keying material
 *       ({@code ExtendedSSLSession.exportKeyingMaterialData}, JDK 25), found by reflection so Java 17 still runs.</li>
 * </ul>
 * {@code tls-unique} is not offered: it is undefined under TLS 1.3 (RFC 8446 section C.5).
 */
public final class ChannelBinding {

    /** The type name of RFC 5929's binding. */
    public static final String TLS_SERVER_END_POINT = "tls-server-end-point";
    /** The type name of RFC 9266's binding. */
    public static final String TLS_EXPORTER = "tls-exporter";

    /** No channel: a stream without TLS, where no -PLUS is offered. */
    public static final ChannelBinding NONE = new ChannelBinding(null, null);

    private static final @Nullable Method EXPORT = exportMethod();

    private final @Nullable X509Certificate serverCertificate;
    private final @Nullable SSLSession session;

    private ChannelBinding(@Nullable X509Certificate serverCertificate, @Nullable SSLSession session) {
        this.serverCertificate = serverCertificate;
        this.session = session;
    }

    /**
     * The bindings of a TLS session whose server presented this certificate; without a session only
     * {@code tls-server-end-point}, which depends on the certificate alone, is available.
     */
    public static ChannelBinding of(X509Certificate serverCertificate, @Nullable SSLSession session) {
        return new ChannelBinding(serverCertificate, session);
    }

    /** The binding types available on this channel, best first (XEP-0440 advertises them). */
    public List<String> types() {
        List<String> types = new ArrayList<>(2);
        // Only where the engine really exports: OpenSSL's sessions, for one, do not implement the JDK's method.
        if (session != null && EXPORT != null && "TLSv1.3".equals(session.getProtocol()) && export(session) != null) {
            types.add(TLS_EXPORTER);
        }
        if (serverCertificate != null) {
            types.add(TLS_SERVER_END_POINT);
        }
        return types;
    }

    /** Whether any binding is available, so -PLUS mechanisms can be offered. */
    public boolean available() {
        return !types().isEmpty();
    }

    /** The binding data of this type, or {@code null} when the type is not available on this channel. */
    public byte @Nullable [] data(String type) {
        if (!types().contains(type)) {
            return null;
        }
        return switch (type) {
            case TLS_SERVER_END_POINT -> serverEndPoint(serverCertificate);
            case TLS_EXPORTER -> export(session);
            default -> null;
        };
    }

    static byte[] serverEndPoint(@Nullable X509Certificate certificate) {
        if (certificate == null) {
            throw new IllegalStateException("no certificate");
        }
        String sigAlg = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
        String digest;
        if (sigAlg.startsWith("SHA384")) {
            digest = "SHA-384";
        } else if (sigAlg.startsWith("SHA512")) {
            digest = "SHA-512";
        } else {
            // RFC 5929 4.1: SHA-256 for SHA-256 itself and in place of MD5 and SHA-1.
            digest = "SHA-256";
        }
        try {
            return MessageDigest.getInstance(digest).digest(certificate.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash the server certificate: " + e.getMessage(), e);
        }
    }

    private static byte @Nullable [] export(@Nullable SSLSession session) {
        if (session == null || EXPORT == null) {
            return null;
        }
        try {
            return (byte[]) EXPORT.invoke(session, "EXPORTER-Channel-Binding", new byte[0], 32);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static @Nullable Method exportMethod() {
        try {
            return ExtendedSSLSession.class.getMethod("exportKeyingMaterialData", String.class, byte[].class,
                    int.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
