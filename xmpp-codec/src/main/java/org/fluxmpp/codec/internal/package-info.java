/**
 * Implementation details of the codec: UTF-8 validation, the prolog check, the element tree assembler, XML name and
 * character rules, and the defensive Aalto factories. Not an API; may change in any release.
 */
@NullMarked
package org.fluxmpp.codec.internal;

import org.jspecify.annotations.NullMarked;
