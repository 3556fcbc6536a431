/**
 * XMPP addresses (RFC 7622): {@link org.fluxmpp.jid.Jid} and its bare, domain and full forms.
 */
@NullMarked
package org.fluxmpp.jid;

import org.jspecify.annotations.NullMarked;
