package org.fluxmpp.codec.internal;

import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import com.fasterxml.aalto.stax.OutputFactoryImpl;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;

/**
 * Aalto factories configured the way XMPP needs them: nothing in a document is ever loaded or expanded (RFC 6120
 * section 11.1), and undeclared entity references surface as events so that they can be refused.
 */
public final class XmlFactories {

    private XmlFactories() {
    }

    /**
     * A new input factory with DTD support, external entities and entity replacement off and text not coalesced
     * (so long text arrives in pieces, bounded by what was fed). Configure it before sharing it; once configured,
     * creating readers from several threads is safe.
     *
     * @return the factory, used both for async and for blocking readers
     */
    public static AsyncXMLInputFactory newInputFactory() {
        InputFactoryImpl f = new InputFactoryImpl();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_VALIDATING, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
        return f;
    }

    /**
     * A new Aalto output factory.
     *
     * @return the factory
     */
    public static XMLOutputFactory newOutputFactory() {
        return new OutputFactoryImpl();
    }
}
