package org.fluxmpp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;
import org.codehaus.stax2.XMLInputFactory2;
import org.codehaus.stax2.io.Stax2ByteArraySource;
import org.fluxmpp.codec.internal.ElementAssembler;
import org.fluxmpp.codec.internal.XmlFactories;
import org.fluxmpp.xml.XmlElement;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyName;
import tools.jackson.dataformat.xml.XmlFactory;
import tools.jackson.dataformat.xml.XmlMapper;

/**
 * Maps extension elements (RFC 6120 section 8.4) to and from plain Java types with jackson-dataformat-xml, on Aalto.
 * Create one and share it: it is thread-safe, and building it is costly (Jackson caches per type).
 *
 * <pre>{@code
 * @JacksonXmlRootElement(namespace = "urn:example:weather", localName = "weather")
 * record Weather(String city, double celsius) { }
 *
 * PayloadBinding binding = new PayloadBinding();
 * // <weather xmlns='urn:example:weather'><city>Paris</city><celsius>21.5</celsius></weather>
 * Weather w = binding.read(element, Weather.class);
 * XmlElement back = binding.write(w);        // equal to element
 * }</pre>
 *
 * <p>Namespaces: reading ignores them (Jackson matches local names). Writing puts the payload element in the
 * namespace of {@code @JacksonXmlRootElement}, or the one given to {@link #write(Object, String, String)}, and child
 * elements Jackson writes unqualified into the namespace of their parent: in an XMPP extension the children share
 * the extension's namespace, so what is written is what a peer would send. A child given its own namespace with
 * {@code @JacksonXmlProperty(namespace = ...)} keeps it.
 *
 * <p>Collections map to repeated child elements without a wrapper element, as XMPP extensions write lists
 * ({@code List<Item> item} is {@code <item/><item/>}); {@code @JacksonXmlElementWrapper} asks for a wrapper.
 *
 * <p>The XML goes through bytes: the element is encoded, then parsed by Jackson; Jackson's output is parsed back
 * into an {@link XmlElement}. Parsing never loads or expands anything (no DTD, no external entities).
 *
 * <p>Errors: every failure is a {@link PayloadBindingException} (an {@link IllegalArgumentException}) that names the
 * Java type.
 */
public final class PayloadBinding {

    private final XmlMapper mapper;
    private final XMLInputFactory2 inputFactory;
    private final XmppStreamEncoder encoder = new XmppStreamEncoder();

    /** A binding with Jackson's defaults. */
    public PayloadBinding() {
        this(builder -> { });
    }

    /**
     * A binding whose Jackson mapper is adjusted by {@code customizer}, for modules or features; the builder
     * arrives set up with Aalto's factories, which should be kept, and with unwrapped lists.
     *
     * @param customizer adjusts the mapper before it is built
     */
    public PayloadBinding(Consumer<XmlMapper.Builder> customizer) {
        Objects.requireNonNull(customizer, "customizer");
        this.inputFactory = (XMLInputFactory2) XmlFactories.newInputFactory();
        XmlFactory factory = XmlFactory.builder()
                .xmlInputFactory(inputFactory)
                .xmlOutputFactory(XmlFactories.newOutputFactory())
                .build();
        // XMPP payloads repeat child elements without a wrapper (<item/><item/>), so lists are unwrapped.
        XmlMapper.Builder builder = XmlMapper.builder(factory).defaultUseWrapper(false);
        customizer.accept(builder);
        this.mapper = builder.build();
    }

    /**
     * Reads {@code element} as a {@code type}.
     *
     * @param element the extension element
     * @param type    the Java type to read it as
     * @param <T>     the type
     * @return the value
     * @throws PayloadBindingException if the element does not fit the type
     */
    public <T> T read(XmlElement element, Class<T> type) {
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(type, "type");
        ByteBuf xml = Unpooled.buffer(256);
        try {
            encoder.encodeDocument(element, xml);
            XMLStreamReader reader = keepOpen(reader(xml.array(), xml.arrayOffset() + xml.readerIndex(),
                    xml.readableBytes()));
            return mapper.readValue(reader, type);
        } catch (IOException | XMLStreamException | JacksonException | IllegalArgumentException e) {
            throw new PayloadBindingException("cannot read " + element.name() + " as " + type.getName() + ": "
                    + e.getMessage(), type, e);
        } finally {
            xml.release();
        }
    }

    /**
     * Writes {@code value} as an element named by its type's {@code @JacksonXmlRootElement}.
     *
     * @param value the value
     * @return the element
     * @throws PayloadBindingException if Jackson cannot write the value, or the type names no namespace (an
     *                                 extension element must have one, RFC 6120 section 8.4)
     */
    public XmlElement write(Object value) {
        Objects.requireNonNull(value, "value");
        XmlElement element;
        try {
            element = parse(mapper.writeValueAsBytes(value));
        } catch (XMLStreamException | JacksonException e) {
            throw new PayloadBindingException("cannot write " + value.getClass().getName() + ": " + e.getMessage(),
                    value.getClass(), e);
        }
        if (element.namespace().isEmpty()) {
            throw new PayloadBindingException(value.getClass().getName() + " names no XML namespace; annotate it"
                    + " with @JacksonXmlRootElement(namespace = ..., localName = ...) or use write(value, namespace,"
                    + " localName)", value.getClass(), null);
        }
        return element;
    }

    /**
     * Writes {@code value} as an element with the given name, whatever its type's annotations say.
     *
     * @param value     the value
     * @param namespace the element's namespace
     * @param localName the element's local name
     * @return the element
     * @throws PayloadBindingException if Jackson cannot write the value
     */
    public XmlElement write(Object value, String namespace, String localName) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(localName, "localName");
        try {
            return parse(mapper.writer().withRootName(PropertyName.construct(localName, namespace))
                    .writeValueAsBytes(value));
        } catch (XMLStreamException | JacksonException e) {
            throw new PayloadBindingException("cannot write " + value.getClass().getName() + " as {" + namespace
                    + "}" + localName + ": " + e.getMessage(), value.getClass(), e);
        }
    }

    private XmlElement parse(byte[] xml) throws XMLStreamException {
        XMLStreamReader r = reader(xml, 0, xml.length);
        ElementAssembler assembler = new ElementAssembler(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE, true, null);
        while (r.hasNext()) {
            switch (r.next()) {
                case XMLStreamConstants.START_ELEMENT -> assembler.start(r);
                case XMLStreamConstants.END_ELEMENT -> {
                    XmlElement e = assembler.end();
                    if (e != null) {
                        return e;
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (assembler.depth() > 0) {
                        assembler.text(r);
                    }
                }
                default -> {
                    // The XML declaration; Jackson writes nothing else outside elements.
                }
            }
        }
        throw new XMLStreamException("no element in the output");
    }

    /**
     * A reader that is never closed: closing an Aalto reader merges the names it met into its factory's shared
     * table, and names in payloads come from peers, so the table would grow without bound.
     */
    private XMLStreamReader reader(byte[] xml, int offset, int length) throws XMLStreamException {
        return inputFactory.createXMLStreamReader(new Stax2ByteArraySource(xml, offset, length));
    }

    private static XMLStreamReader keepOpen(XMLStreamReader reader) {
        return new StreamReaderDelegate(reader) {
            @Override
            public void close() {
                // See reader(): Jackson closes what it reads from; this reader must stay unmerged.
            }
        };
    }
}
