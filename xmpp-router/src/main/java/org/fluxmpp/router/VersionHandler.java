package org.fluxmpp.router;

import java.util.Objects;
import org.fluxmpp.routing.StanzaHandler;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Answers a software version request (XEP-0092 section 3) with a name, a version and, when configured, an
 * operating system.
 *
 * <p>{@link XmppRouter} installs {@code new VersionHandler()} for requests to a served domain, after the user's
 * routes: a route of the user for {@link #NAMESPACE} replaces it (for example to hide the version).
 *
 * <pre>{@code
 * <iq type='get' id='v1' to='example.com'><query xmlns='jabber:iq:version'/></iq>
 * <iq type='result' id='v1' from='example.com' to='juliet@example.com/balcony'>
 *   <query xmlns='jabber:iq:version'><name>Fluxmpp</name><version>0.1.0</version></query>
 * </iq>
 * }</pre>
 *
 * <p>The operating system is left out by default: XEP-0092 section 5 warns that it helps an attacker. Signals no
 * error.
 */
public final class VersionHandler implements StanzaHandler<Iq> {

    /** The software version namespace: {@value}. */
    public static final String NAMESPACE = "jabber:iq:version";
    /** The payload's local name: {@value}. */
    public static final String ELEMENT = "query";
    /** The software name of the default handler: {@value}. */
    public static final String NAME = "Fluxmpp";

    private final String name;
    private final String version;
    private final @Nullable String os;
    private final XmlElement answer;

    /**
     * A handler answering with {@value #NAME}, this module's version (the {@code Implementation-Version} of its
     * jar's manifest, or {@code dev} when run from classes), and no operating system.
     *
     * <pre>{@code
     * StanzaHandler<Iq> version = new VersionHandler();
     * }</pre>
     */
    public VersionHandler() {
        this(NAME, implementationVersion(), null);
    }

    /**
     * A handler answering with these values.
     *
     * <pre>{@code
     * StanzaHandler<Iq> version = new VersionHandler("Capulet Chat", "2.0", System.getProperty("os.name"));
     * }</pre>
     *
     * @param name    the software's name
     * @param version its version
     * @param os      the operating system, or {@code null} to leave it out
     * @throws NullPointerException when {@code name} or {@code version} is {@code null}
     */
    public VersionHandler(String name, String version, @Nullable String os) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        this.os = os;
        XmlElement.Builder query = XmlElement.builder(NAMESPACE, ELEMENT)
                .child(XmlElement.builder(NAMESPACE, "name").text(name).build())
                .child(XmlElement.builder(NAMESPACE, "version").text(version).build());
        if (os != null) {
            query.child(XmlElement.builder(NAMESPACE, "os").text(os).build());
        }
        this.answer = query.build();
    }

    /** The software name answered. */
    public String name() {
        return name;
    }

    /** The version answered. */
    public String version() {
        return version;
    }

    /** The operating system answered, or {@code null} when left out. */
    public @Nullable String os() {
        return os;
    }

    /** The name, version and operating system, as a result to this request. Signals no error. */
    @Override
    public Mono<Iq> handle(Iq request, XmppSession session) {
        return Mono.just(request.result(answer));
    }

    private static String implementationVersion() {
        String v = VersionHandler.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }
}
