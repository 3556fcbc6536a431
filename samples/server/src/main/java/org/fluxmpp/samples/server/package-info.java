/**
 * The demo server: a runnable XMPP server with a {@code prosodyctl}-like command line.
 */
@NullMarked
package org.fluxmpp.samples.server;

import org.jspecify.annotations.NullMarked;
