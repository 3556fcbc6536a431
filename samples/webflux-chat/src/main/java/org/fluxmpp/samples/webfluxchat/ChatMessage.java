package org.fluxmpp.samples.webfluxchat;

/**
 * A chat message as the REST endpoint takes it and the event stream sends it (JSON).
 *
 * @param from the sender's JID (set by the server; empty in a request)
 * @param to   the recipient's JID
 * @param body the text
 */
public record ChatMessage(String from, String to, String body) {
}
