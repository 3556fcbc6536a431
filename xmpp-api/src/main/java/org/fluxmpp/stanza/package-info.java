/**
 * Stanzas (RFC 6120 section 8): {@link org.fluxmpp.stanza.Message}, {@link org.fluxmpp.stanza.Presence},
 * {@link org.fluxmpp.stanza.Iq}, and stanza errors.
 */
@NullMarked
package org.fluxmpp.stanza;

import org.jspecify.annotations.NullMarked;
