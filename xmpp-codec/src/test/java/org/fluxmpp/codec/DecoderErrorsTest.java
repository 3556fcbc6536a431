package org.fluxmpp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fluxmpp.codec.Feed.HEADER;
import static org.fluxmpp.codec.Feed.STREAM_NS;
import static org.fluxmpp.codec.Feed.error;
import static org.fluxmpp.codec.Feed.utf8;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.fluxmpp.codec.Feed.Kind;
import org.fluxmpp.stream.StreamError.Condition;
import org.fluxmpp.stream.StreamErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each way a peer can break RFC 6120 sections 4.8 and 11 ends the stream with the right condition. */
class DecoderErrorsTest {

    private static final String STREAM = "<stream:stream xmlns='jabber:client' xmlns:stream='" + STREAM_NS + "'>";

    // ---- restricted XML (RFC 6120 section 11.1) ----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "<!DOCTYPE stream:stream>" + STREAM,
        "<?xml version='1.0'?><!DOCTYPE stream:stream SYSTEM 'http://example.com/x.dtd'>" + STREAM,
        "<!DOCTYPE stream:stream [<!ELEMENT stream:stream ANY>]>" + STREAM,
        "<?xml version='1.0'?>\n<!-- hello -->" + STREAM,
        "<?xml version='1.0'?><?foo bar?>" + STREAM,
        STREAM + "<!-- between stanzas -->",
        STREAM + "<message><!-- inside --></message>",
        STREAM + "<message><?php echo 1; ?></message>",
        STREAM + "<?pi?>",
        STREAM + "<message><body>&foo;</body></message>",
        STREAM + "<message id='&foo;'/>",
        STREAM + "<message><body>&nbsp;</body></message>",
    })
    void refusesRestrictedXml(String xml) {
        assertThat(error(xml).condition()).isEqualTo(Condition.RESTRICTED_XML);
    }

    @Test
    void refusesTheBillionLaughsAtItsFirstBytesWithBoundedMemory() {
        StringBuilder doc = new StringBuilder("<?xml version='1.0'?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        doc.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (int i = 2; i <= 9; i++) {
            doc.append("<!ENTITY lol").append(i).append(" \"");
            doc.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        doc.append("]>\n").append(STREAM).append("<message><body>&lol9;</body></message>");
        // Padding stands for the rest of a large hostile document; the decoder must not need any of it.
        byte[] bytes = utf8(doc.append(" ".repeat(1 << 20)).toString());

        int[] reads = {0};
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        List<StreamEvent> events = new ArrayList<>();
        assertThatThrownBy(() -> {
            for (int from = 0; from < bytes.length; from += 64) {
                reads[0]++;
                Feed.read(decoder, bytes, from, Math.min(bytes.length, from + 64), Kind.POOLED_DIRECT, events);
            }
        }).isInstanceOfSatisfying(StreamErrorException.class,
                e -> assertThat(e.condition()).isEqualTo(Condition.RESTRICTED_XML));
        assertThat(reads[0]).as("reads before the failure").isEqualTo(1);
        assertThat(events).isEmpty();
    }

    @Test
    void refusesAnExternalEntityWithoutReadingIt() {
        StreamErrorException e = error("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + STREAM
                + "<message><body>&e;</body></message>");

        assertThat(e.condition()).isEqualTo(Condition.RESTRICTED_XML);
        assertThat(e.getMessage()).doesNotContain("root:");
    }

    @Test
    void refusesEntityReferencesEvenWithoutADtd() {
        assertThat(error(STREAM + "<message><body>" + "&lol9;".repeat(1000) + "</body></message>").condition())
                .isEqualTo(Condition.RESTRICTED_XML);
    }

    // ---- well-formedness (section 11.3) --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        STREAM + "<message></iq>",
        STREAM + "<message><body></message></body>",
        STREAM + "<message><x:y/></message>",
        STREAM + "<message id='1' id='2'/>",
        STREAM + "<message id='a<b'/>",
        STREAM + "<message id=1/>",
        STREAM + "<message><body>a & b</body></message>",
        STREAM + "<message><body>&#1;</body></message>",
        STREAM + "<message><body>\u0001</body></message>",
        STREAM + "<message><body>\uFFFE</body></message>",
        "\uFEFF" + STREAM,
        "  <?xml version='1.0'?>" + STREAM,
        "<stream:stream xmlns:stream='" + STREAM_NS + "' id='x'/></stream:stream>",
        "<stream:stream>",
        "hello" + STREAM,
    })
    void refusesMalformedXml(String xml) {
        // A trailing byte: Aalto may need one more byte to be sure, as with an end tag shorter than the expected one.
        assertThat(error(xml + " ").condition()).isEqualTo(Condition.NOT_WELL_FORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ff", "fe", "c0af", "c080", "c1bf", "e080af", "eda080", "edbfbf", "f08080af", "f4908080", "f5808080",
        "f880808080", "80", "bf", "c341", "e282", "e28241", "f09f98", "f09f9841",
    })
    void refusesBytesThatAreNotUtf8(String hex) {
        byte[] bad = HexFormat.of().parseHex(hex);
        for (String where : new String[] {"text", "attribute"}) {
            byte[] before = utf8(HEADER + (where.equals("text") ? "<message><body>x" : "<message id='x"));
            byte[] after = utf8(where.equals("text") ? "y</body></message>" : "y'/>");
            byte[] bytes = new byte[before.length + bad.length + after.length];
            System.arraycopy(before, 0, bytes, 0, before.length);
            System.arraycopy(bad, 0, bytes, before.length, bad.length);
            System.arraycopy(after, 0, bytes, before.length + bad.length, after.length);

            for (Kind kind : Kind.values()) {
                assertThatThrownBy(() -> Feed.decode(new XmppStreamDecoder(), bytes, new int[0], kind))
                        .as("%s in %s", where, kind).isInstanceOfSatisfying(StreamErrorException.class,
                                e -> assertThat(e.condition()).isEqualTo(Condition.NOT_WELL_FORMED));
                // Split inside the bad sequence, in separate reads.
                assertThatThrownBy(() -> Feed.decode(new XmppStreamDecoder(), bytes,
                        new int[] {before.length + 1, before.length + 2}, kind))
                        .as("%s in %s, split", where, kind).isInstanceOfSatisfying(StreamErrorException.class,
                                e -> assertThat(e.condition()).isEqualTo(Condition.NOT_WELL_FORMED));
            }
        }
    }

    @Test
    void refusesNonWhitespaceTextBetweenStanzas() {
        assertThat(error(STREAM + "<presence/>hello<presence/>").condition()).isEqualTo(Condition.BAD_FORMAT);
        assertThat(error(STREAM + "<![CDATA[x]]>").condition()).isEqualTo(Condition.BAD_FORMAT);
    }

    // ---- encoding and version (sections 11.6 and 11.8) --------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"ISO-8859-1", "UTF-16", "US-ASCII", "windows-1252", "EBCDIC-US"})
    void refusesEncodingsOtherThanUtf8(String encoding) {
        assertThat(error("<?xml version='1.0' encoding='" + encoding + "'?>" + STREAM).condition())
                .isEqualTo(Condition.UNSUPPORTED_ENCODING);
    }

    @Test
    void acceptsAnExplicitUtf8Declaration() {
        assertThat(Feed.decode("<?xml version='1.0' encoding='utf-8' standalone='yes'?>" + STREAM)).hasSize(1);
    }

    @Test
    void refusesXml11() {
        assertThat(error("<?xml version='1.1'?>" + STREAM).condition()).isEqualTo(Condition.BAD_FORMAT);
    }

    // ---- the stream element (section 4.8) ----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "<stream:stream xmlns:stream='urn:wrong'>",
        "<stream:stream xmlns:stream='http://etherx.jabber.org/streams/'>",
        "<stream xmlns='jabber:client'>",
        "<stream>",
        "<html xmlns='http://www.w3.org/1999/xhtml'>",
    })
    void refusesAStreamElementOutsideTheStreamNamespace(String xml) {
        assertThat(error(xml).condition()).isEqualTo(Condition.INVALID_NAMESPACE);
    }

    @Test
    void refusesTheStreamNamespaceAsDefaultNamespace() {
        assertThat(error("<stream xmlns='" + STREAM_NS + "'>").condition())
                .isEqualTo(Condition.BAD_NAMESPACE_PREFIX);
    }

    @Test
    void refusesARootOtherThanStream() {
        assertThat(error("<stream:features xmlns:stream='" + STREAM_NS + "'>").condition())
                .isEqualTo(Condition.BAD_FORMAT);
    }

    @Test
    void carriesTheParserErrorAsCause() {
        StreamErrorException e = error(STREAM + "<message></iq> ");

        assertThat(e.getCause()).isInstanceOf(javax.xml.stream.XMLStreamException.class);
        assertThat(e.error().text()).isNotBlank().doesNotContain("\n");
    }
}
