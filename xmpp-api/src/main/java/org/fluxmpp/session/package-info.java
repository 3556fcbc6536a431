/**
 * Sessions: the view of an authenticated, bound stream that the transport hands to the router.
 */
@NullMarked
package org.fluxmpp.session;

import org.jspecify.annotations.NullMarked;
