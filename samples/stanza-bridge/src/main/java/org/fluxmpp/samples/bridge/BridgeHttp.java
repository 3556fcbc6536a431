package org.fluxmpp.samples.bridge;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.stanza.Message;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link StanzaBridge} over HTTP with reactor-netty:
 *
 * <ul>
 *   <li>{@code GET /messages}: the incoming messages as server-sent events, one JSON object per event with
 *       {@code from}, {@code to}, {@code type}, {@code body} and {@code id};</li>
 *   <li>{@code POST /messages?to=JID} with the text as body (UTF-8, at most {@value #MAX_BODY} bytes): sends it as a
 *       chat message; {@code 202} once written to the XMPP stream, {@code 400} for a missing or invalid JID or an
 *       empty body, {@code 413} for a larger body, {@code 503} while the bridge is not online.</li>
 * </ul>
 *
 * <pre>{@code
 * DisposableServer http = BridgeHttp.bind(bridge, "127.0.0.1", 8080);
 * }</pre>
 */
public final class BridgeHttp {

    /** The largest message body a POST may carry: {@value} bytes. */
    public static final int MAX_BODY = 64 * 1024;
    /** How many events wait for one slow {@code GET /messages} reader before the oldest are dropped: {@value}. */
    public static final int EVENT_BUFFER = 256;

    private static final Logger log = LoggerFactory.getLogger(BridgeHttp.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** An SSE comment: sent first, so a reader knows it is subscribed (and proxies see the headers at once). */
    private static final String HELLO = ":subscribed\n\n";

    private BridgeHttp() {
    }

    /**
     * Serves the bridge on this address until the returned server is disposed.
     *
     * @throws RuntimeException (from reactor-netty) when the address cannot be bound
     */
    public static DisposableServer bind(StanzaBridge bridge, String host, int port) {
        return HttpServer.create()
                .host(host)
                .port(port)
                .route(routes -> routes
                        .get("/messages", (req, res) -> stream(bridge, res))
                        .post("/messages", (req, res) -> post(bridge, req, res)))
                .bindNow();
    }

    private static Mono<Void> stream(StanzaBridge bridge, HttpServerResponse res) {
        // Merge subscribes to the events before it emits the hello: a reader that saw the hello misses nothing.
        Flux<String> body = Flux.merge(events(bridge.incoming()), Mono.just(HELLO));
        return res.sse().sendString(body).then();
    }

    /**
     * The SSE events for one reader. reactor-netty asks for more only as the socket drains, so a slow reader stops
     * asking; the bounded buffer then keeps the newest {@value #EVENT_BUFFER} events and drops the oldest. Without
     * it, that reader's lack of demand would reach {@link StanzaBridge#incoming()} and stop the bridge reading from
     * the XMPP server for every reader (and, in the end, the server would drop the bridge's session as too slow).
     */
    static Flux<String> events(Flux<Message> incoming) {
        return incoming
                .onBackpressureBuffer(EVENT_BUFFER,
                        dropped -> log.debug("slow reader: dropped the message {} from {}", dropped.id(), dropped.from()),
                        BufferOverflowStrategy.DROP_OLDEST)
                .map(m -> "data: " + json(m) + "\n\n");
    }

    /** One message as JSON; Jackson escapes the text, so a body with newlines stays one SSE data line. */
    static String json(Message m) {
        return JSON.writeValueAsString(new MessageJson(text(m.from()), text(m.to()), m.type().value(), m.body(),
                m.id()));
    }

    private static @Nullable String text(@Nullable Jid jid) {
        return jid == null ? null : jid.toString();
    }

    private static Mono<Void> post(StanzaBridge bridge, HttpServerRequest req, HttpServerResponse res) {
        List<String> to = new QueryStringDecoder(req.uri()).parameters().get("to");
        if (to == null || to.size() != 1) {
            return answer(res, HttpResponseStatus.BAD_REQUEST, "give one recipient: POST /messages?to=JID");
        }
        Jid recipient;
        try {
            recipient = Jid.parse(to.get(0));
        } catch (JidFormatException e) {
            return answer(res, HttpResponseStatus.BAD_REQUEST, "invalid JID: " + e.getMessage());
        }
        return text(req)
                .flatMap(text -> {
                    if (text.isEmpty()) {
                        return answer(res, HttpResponseStatus.BAD_REQUEST, "empty body: nothing to send");
                    }
                    Message m = Message.builder().to(recipient).type(Message.Type.CHAT).body(text).build();
                    return bridge.send(m).then(answer(res, HttpResponseStatus.ACCEPTED, ""));
                })
                .onErrorResume(TooLarge.class, e -> answer(res, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        "at most " + MAX_BODY + " bytes"))
                .onErrorResume(IllegalStateException.class, e -> answer(res, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "not connected to the XMPP server; try again"));
    }

    /** The request body as text, refused past {@link #MAX_BODY} bytes rather than held in memory whatever its size. */
    private static Mono<String> text(HttpServerRequest req) {
        return req.receive().asByteArray()
                .collect(ByteArrayOutputStream::new, (out, bytes) -> {
                    if (out.size() + bytes.length > MAX_BODY) {
                        throw new TooLarge();
                    }
                    out.writeBytes(bytes);
                })
                .map(out -> out.toString(StandardCharsets.UTF_8));
    }

    private static Mono<Void> answer(HttpServerResponse res, HttpResponseStatus status, String text) {
        return res.status(status).header("Content-Type", "text/plain; charset=utf-8")
                .sendString(Mono.just(text.isEmpty() ? "" : text + "\n")).then();
    }

    /** What one SSE event carries. */
    record MessageJson(@Nullable String from, @Nullable String to, String type, @Nullable String body,
                       @Nullable String id) {
    }

    /** A POST body past {@link #MAX_BODY}. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("request body too large", null, false, false);
        }
    }
}
