package org.fluxmpp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.fluxmpp.codec.DecoderLimits;
import org.fluxmpp.codec.StreamEvent;
import org.fluxmpp.codec.XmppStreamDecoder;
import org.fluxmpp.xml.XmlElement;

/**
 * A deliberately plain XMPP client over a blocking socket, for sending exactly the bytes a test needs (including
 * bad ones) and reading back what the server answered, decoded with Fluxmpp's own decoder.
 */
final class RawClient implements AutoCloseable {

    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private XmppStreamDecoder decoder = new XmppStreamDecoder(DecoderLimits.defaults());
    private final List<StreamEvent> events = new ArrayList<>();
    private boolean eof;
    private String lastStreamId = "";
    private org.fluxmpp.codec.StreamHeader lastHeader;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A client that speaks TLS from the first byte (XEP-0368), asking for ALPN "xmpp-client". */
    static RawClient directTls(int port) throws IOException {
        RawClient c = new RawClient(port);
        SSLSocket ssl = (SSLSocket) TestServer.sslContext().getSocketFactory()
                .createSocket(c.socket, "localhost", port, true);
        javax.net.ssl.SSLParameters params = ssl.getSSLParameters();
        params.setApplicationProtocols(new String[] {"xmpp-client"});
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        c.socket = ssl;
        c.in = ssl.getInputStream();
        c.out = ssl.getOutputStream();
        return c;
    }

    RawClient send(String xml) throws IOException {
        return send(xml.getBytes(StandardCharsets.UTF_8));
    }

    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads until an element with this local name arrives (or the stream closes) and returns it. */
    XmlElement await(String localName) throws IOException {
        while (true) {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i) instanceof StreamEvent.Element e && e.element().localName().equals(localName)) {
                    events.subList(0, i + 1).clear();
                    return e.element();
                }
            }
            if (!readMore()) {
                throw new IOException("stream ended before <" + localName + "/>; events: " + events);
            }
        }
    }

    /** Reads until the server closes the stream and the connection; returns whether it sent {@code </stream:stream>}. */
    boolean awaitClosed() throws IOException {
        while (readMore()) {
            // keep reading
        }
        return events.stream().anyMatch(e -> e instanceof StreamEvent.Close);
    }

    private boolean readMore() throws IOException {
        if (eof) {
            return false;
        }
        byte[] buf = new byte[8192];
        int n;
        try {
            n = in.read(buf);
        } catch (SocketTimeoutException e) {
            throw new IOException("no answer from the server within the timeout; events so far: " + events, e);
        } catch (IOException e) {
            n = -1; // a reset after the server's close counts as the end of the stream
        }
        if (n < 0) {
            eof = true;
            return false;
        }
        ByteBuf b = Unpooled.wrappedBuffer(buf, 0, n);
        try {
            decoder.decode(b, e -> {
                if (e instanceof StreamEvent.Open open) {
                    lastHeader = open.header();
                    if (open.header().id() != null) {
                        lastStreamId = open.header().id();
                    }
                }
                events.add(e);
            });
        } finally {
            b.release();
        }
        return true;
    }

    /** The last stream header the server sent. */
    org.fluxmpp.codec.StreamHeader lastHeader() {
        return lastHeader;
    }

    /** The id of the last stream header the server sent. */
    String lastStreamId() {
        return lastStreamId;
    }

    /** STARTTLS: asks, waits for proceed, upgrades the socket, restarts the stream. */
    XmlElement startTls() throws IOException {
        upgradeTls();
        return restart();
    }

    /** STARTTLS up to the TLS handshake, without restarting the stream; the next bytes start a new document. */
    void upgradeTls() throws IOException {
        send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        XmlElement proceed = await("proceed");
        if (!proceed.namespace().equals("urn:ietf:params:xml:ns:xmpp-tls")) {
            throw new IOException("expected proceed, got " + proceed);
        }
        SSLSocket ssl = (SSLSocket) TestServer.sslContext().getSocketFactory()
                .createSocket(socket, "localhost", socket.getPort(), true);
        ssl.startHandshake();
        socket = ssl;
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
        decoder = new XmppStreamDecoder(DecoderLimits.defaults());
        events.clear();
    }

    /** Opens a new stream (after TLS or SASL) and waits for its features. */
    XmlElement restart() throws IOException {
        decoder = new XmppStreamDecoder(DecoderLimits.defaults());
        events.clear();
        send(HEADER);
        return await("features");
    }

    /** PLAIN authentication; returns the server's answer ({@code success} or {@code failure}). */
    XmlElement plain(String user, String password) throws IOException {
        String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
                .getBytes(StandardCharsets.UTF_8));
        send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + token + "</auth>");
        while (true) {
            XmlElement e = awaitAny();
            if (e.localName().equals("success") || e.localName().equals("failure")) {
                return e;
            }
        }
    }

    /**
     * Logs in over STARTTLS with PLAIN and binds; returns the bound full JID.
     *
     * @param resource the resource to ask for, or {@code null} to let the server choose
     */
    String login(String user, String password, String resource) throws IOException {
        send(HEADER);
        await("features");
        startTls();
        XmlElement answer = plain(user, password);
        if (!answer.localName().equals("success")) {
            throw new IOException("login failed: " + answer);
        }
        restart();
        send("<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + (resource == null ? "" : "<resource>" + resource + "</resource>") + "</bind></iq>");
        XmlElement result = await("iq");
        XmlElement bind = result.child("urn:ietf:params:xml:ns:xmpp-bind", "bind");
        if (!"result".equals(result.attribute("type")) || bind == null) {
            throw new IOException("bind failed: " + result);
        }
        return bind.childText(new javax.xml.namespace.QName("urn:ietf:params:xml:ns:xmpp-bind", "jid"));
    }

    /** Stops reading for a while: the socket's buffers fill and the server must hold back. */
    Socket socket() {
        return socket;
    }

    XmlElement awaitAny() throws IOException {
        while (true) {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i) instanceof StreamEvent.Element e) {
                    events.subList(0, i + 1).clear();
                    return e.element();
                }
            }
            if (!readMore()) {
                throw new IOException("stream ended; events: " + events);
            }
        }
    }

    /**
     * SCRAM (RFC 5802) as a client computes it, optionally bound to this TLS channel with tls-server-end-point
     * (RFC 5929: the hash of the server certificate this client saw); returns the server's last answer.
     *
     * @param serverSignature receives {@code true} when the server's final message proves it knows the keys
     */
    XmlElement scram(org.fluxmpp.transport.sasl.ScramHash hash, boolean plus, String user, String password,
                     boolean[] serverSignature) throws Exception {
        return scram(hash, plus ? "tls-server-end-point" : null, user, password, serverSignature);
    }

    /**
     * SCRAM bound with this channel binding type ({@code tls-server-end-point}, {@code tls-exporter}), or unbound
     * when {@code null}.
     */
    XmlElement scram(org.fluxmpp.transport.sasl.ScramHash hash, String cbType, String user, String password,
                     boolean[] serverSignature) throws Exception {
        boolean plus = cbType != null;
        String gs2 = plus ? "p=" + cbType + ",," : "n,,";
        byte[] cbData = new byte[0];
        if ("tls-server-end-point".equals(cbType)) {
            java.security.cert.X509Certificate cert = (java.security.cert.X509Certificate)
                    ((SSLSocket) socket).getSession().getPeerCertificates()[0];
            cbData = java.security.MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        } else if ("tls-exporter".equals(cbType)) {
            // RFC 9266, through the JDK 25 API (looked up by reflection: this code compiles for Java 17).
            javax.net.ssl.SSLSession session = ((SSLSocket) socket).getSession();
            cbData = (byte[]) javax.net.ssl.ExtendedSSLSession.class
                    .getMethod("exportKeyingMaterialData", String.class, byte[].class, int.class)
                    .invoke(session, "EXPORTER-Channel-Binding", new byte[0], 32);
        }
        String clientFirstBare = "n=" + user + ",r=rawclientnonce";
        send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='" + hash.mechanismName() + (plus ? "-PLUS"
                : "") + "'>" + b64((gs2 + clientFirstBare).getBytes(StandardCharsets.UTF_8)) + "</auth>");
        XmlElement challenge = awaitAny();
        if (!challenge.localName().equals("challenge")) {
            return challenge;
        }
        String serverFirst = new String(Base64.getDecoder().decode(challenge.text()), StandardCharsets.UTF_8);
        java.util.Map<String, String> attrs = new java.util.HashMap<>();
        for (String a : serverFirst.split(",")) {
            attrs.put(a.substring(0, 1), a.substring(2));
        }
        byte[] gs2Bytes = gs2.getBytes(StandardCharsets.UTF_8);
        byte[] cbind = java.util.Arrays.copyOf(gs2Bytes, gs2Bytes.length + cbData.length);
        System.arraycopy(cbData, 0, cbind, gs2Bytes.length, cbData.length);
        String withoutProof = "c=" + b64(cbind) + ",r=" + attrs.get("r");
        byte[] salted = org.fluxmpp.transport.sasl.ScramKeys.saltedPassword(hash,
                org.fluxmpp.transport.sasl.ScramKeys.preparePassword(password),
                Base64.getDecoder().decode(attrs.get("s")), Integer.parseInt(attrs.get("i")));
        byte[] clientKey = hash.hmac(salted, "Client Key".getBytes(StandardCharsets.UTF_8));
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] signature = hash.hmac(hash.hash(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + b64((withoutProof + ",p=" + b64(proof)).getBytes(StandardCharsets.UTF_8)) + "</response>");
        XmlElement answer = awaitAny();
        if (answer.localName().equals("success")) {
            byte[] serverKey = hash.hmac(salted, "Server Key".getBytes(StandardCharsets.UTF_8));
            String expected = "v=" + b64(hash.hmac(serverKey, authMessage));
            serverSignature[0] = expected.equals(new String(Base64.getDecoder().decode(answer.text()),
                    StandardCharsets.UTF_8));
        }
        return answer;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** The stream error the server sent before closing, if any. */
    XmlElement awaitStreamError() throws IOException {
        return await("error");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
