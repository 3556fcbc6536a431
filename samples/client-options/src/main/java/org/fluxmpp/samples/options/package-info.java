/** What the client samples' command lines share: {@link org.fluxmpp.samples.options.AccountOptions}. */
@NullMarked
package org.fluxmpp.samples.options;

import org.jspecify.annotations.NullMarked;
