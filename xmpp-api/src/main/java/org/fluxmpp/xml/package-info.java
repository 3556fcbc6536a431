/**
 * An immutable XML element tree: what the codec decodes a depth-1 stream child into and what it encodes back.
 */
@NullMarked
package org.fluxmpp.xml;

import org.jspecify.annotations.NullMarked;
