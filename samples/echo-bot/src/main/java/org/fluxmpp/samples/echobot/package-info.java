/**
 * The echo bot sample: an XMPP client built on Fluxmpp that answers each message with its own body.
 */
@NullMarked
package org.fluxmpp.samples.echobot;

import org.jspecify.annotations.NullMarked;
