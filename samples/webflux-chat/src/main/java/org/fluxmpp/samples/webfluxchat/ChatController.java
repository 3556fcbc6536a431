package org.fluxmpp.samples.webfluxchat;

import org.fluxmpp.jid.Jid;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.spring.boot.XmppClientLifecycle;
import org.fluxmpp.stanza.Message;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The bot over HTTP: {@code POST /api/messages} ({@code {"to": "alice@localhost", "body": "hi"}}) sends a chat
 * message from the bot, answering 202, or 400 for an invalid JID or an empty body; {@code GET /api/messages} streams
 * the messages the bot receives as server-sent events ({@code event: message}, JSON data).
 */
@RestController
@RequestMapping("/api/messages")
class ChatController {

    private final XmppClientLifecycle bot;
    private final BotInbox inbox;

    ChatController(XmppClientLifecycle bot, BotInbox inbox) {
        this.bot = bot;
        this.inbox = inbox;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<String>> send(@RequestBody ChatMessage message) {
        Jid to;
        try {
            to = Jid.parse(message.to());
        } catch (JidFormatException e) {
            return Mono.just(ResponseEntity.badRequest().body("invalid JID: " + e.getMessage()));
        }
        if (message.body() == null || message.body().isBlank()) {
            return Mono.just(ResponseEntity.badRequest().body("empty body"));
        }
        return bot.connection()
                .send(Message.builder().to(to).type(Message.Type.CHAT).body(message.body()).build())
                .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED).body("sent"));
    }

    @GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<ChatMessage>> stream() {
        return inbox.stream().map(m -> ServerSentEvent.builder(m).event("message").build());
    }
}
