/**
 * XML stream concepts of RFC 6120 section 4: stream errors and their conditions.
 */
@NullMarked
package org.fluxmpp.stream;

import org.jspecify.annotations.NullMarked;
