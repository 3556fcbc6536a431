/** Test fixtures that other modules' tests share through xmpp-transport's test-jar. */
@NullMarked
package org.fluxmpp.testing;

import org.jspecify.annotations.NullMarked;
