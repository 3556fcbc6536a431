package org.fluxmpp.codec;

import java.util.Objects;
import org.fluxmpp.stream.StreamError;
import org.jspecify.annotations.Nullable;

/**
 * The attributes of a {@code <stream:stream>} open tag (RFC 6120 section 4.7): what the decoder reports when a peer
 * opens a stream, and what the encoder writes when we open one.
 *
 * <pre>{@code
 * // A server answering a client's stream header:
 * StreamHeader response = StreamHeader.of("jabber:client", "example.com", "juliet@example.com",
 *     "c2s-4b1d", "1.0", "en");
 * ByteBuf bytes = encoder.encodeOpen(response, channel.alloc());
 * }</pre>
 *
 * <p>The decoder reports the attributes as sent, without judging them: checking {@code version} (section 4.7.5),
 * {@code to} (section 4.7.2) and the content namespace (section 4.8.2) is the transport's business, because only it
 * knows which hosts it serves and whether it is a client or a server stream. The decoder does check what belongs to
 * XML: the stream element's name and namespace ({@code invalid-namespace}, section 4.8.1) and that the stream
 * namespace is bound to a prefix ({@code bad-namespace-prefix}, section 4.8.5).
 *
 * @param to               the {@code to} attribute (section 4.7.2), or {@code null} when absent
 * @param from             the {@code from} attribute (section 4.7.1), or {@code null} when absent
 * @param id               the stream id (section 4.7.3), or {@code null} when absent
 * @param version          the {@code version} attribute, such as {@code "1.0"} (section 4.7.5), or {@code null}
 * @param lang             the {@code xml:lang} attribute (section 4.7.4), or {@code null} when absent
 * @param contentNamespace the default namespace declared on the stream element, such as {@code jabber:client} or
 *                         {@code jabber:server} (section 4.8.2), or {@code null} when none was declared
 * @param streamNamespace  the namespace of the stream element; a decoded header always has
 *                         {@value org.fluxmpp.stream.StreamError#STREAM_NAMESPACE}
 * @param streamPrefix     the prefix the stream element was written with, normally {@code stream}
 *                         (section 4.8.5); {@code ""} when none
 */
public record StreamHeader(@Nullable String to, @Nullable String from, @Nullable String id,
                           @Nullable String version, @Nullable String lang, @Nullable String contentNamespace,
                           String streamNamespace, String streamPrefix) {

    /** The namespace of client-to-server stanzas (RFC 6120 section 4.8.3): {@value}. */
    public static final String CLIENT_NAMESPACE = "jabber:client";
    /** The namespace of server-to-server stanzas (RFC 6120 section 4.8.3): {@value}. */
    public static final String SERVER_NAMESPACE = "jabber:server";
    /** The stream version of RFC 6120 (section 4.7.5): {@value}. */
    public static final String VERSION = "1.0";
    /** The prefix the encoder binds to the stream namespace: {@value}. */
    public static final String STREAM_PREFIX = "stream";

    /**
     * Checks the two names that are never absent.
     *
     * @throws NullPointerException if {@code streamNamespace} or {@code streamPrefix} is {@code null}
     */
    public StreamHeader {
        Objects.requireNonNull(streamNamespace, "streamNamespace");
        Objects.requireNonNull(streamPrefix, "streamPrefix");
    }

    /**
     * A header for a stream we open: in the stream namespace with the {@value #STREAM_PREFIX} prefix.
     *
     * @param contentNamespace the default namespace of the stream's content, such as {@value #CLIENT_NAMESPACE};
     *                         {@code null} declares none
     * @param from             our address, or {@code null}
     * @param to               the peer's address, or {@code null}
     * @param id               the stream id (a server sets it, section 4.7.3), or {@code null}
     * @param version          normally {@value #VERSION}, or {@code null}
     * @param lang             the default language of the stream, such as {@code "en"}, or {@code null}
     * @return the header
     */
    public static StreamHeader of(@Nullable String contentNamespace, @Nullable String from, @Nullable String to,
                                  @Nullable String id, @Nullable String version, @Nullable String lang) {
        return new StreamHeader(to, from, id, version, lang, contentNamespace, StreamError.STREAM_NAMESPACE,
                STREAM_PREFIX);
    }
}
