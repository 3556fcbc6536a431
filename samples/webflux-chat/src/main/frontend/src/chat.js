// Browser chat page for the Fluxmpp webflux-chat sample.
// XMPP over WebSocket (RFC 7395, sub-protocol "xmpp") with @xmpp/client.
//
// Query parameters (all optional):
//   service=wss://host:port/path  WebSocket endpoint; default wss://<page host>/xmpp-websocket
//   mechanism=PLAIN               force one SASL mechanism (default: the first both sides support;
//                                 @xmpp/client's browser build has PLAIN, which the server offers
//                                 only inside TLS, i.e. over wss)
//   debug=1                       log every XMPP element to the console
//
// Element ids used by tests: #jid #password #login #status #to #body #send
// #messages #logout. Each message is an li whose text is exactly the body, with
// data-from = sender's bare JID (or "me") and data-type = chat|normal|...|error
// (error = a bounce). #status reads "online" once the resource is bound and
// initial presence is sent, "offline" after logout, "error: <text>" on
// failure; its data-mechanism attribute names the SASL mechanism used.
import { client, xml, jid as parseJid } from "@xmpp/client";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const service =
  params.get("service") ||
  `${location.protocol === "http:" ? "ws" : "wss"}://${location.host}/xmpp-websocket`;
const forcedMechanism = params.get("mechanism");
const debug = params.has("debug");

let xmpp = null;
let usedMechanism = "";

function setStatus(text) {
  const status = $("status");
  status.textContent = text;
  status.dataset.mechanism = usedMechanism;
}

function showChat(loggedIn) {
  $("chat").hidden = !loggedIn;
  $("login-form").hidden = loggedIn;
  $("login").disabled = false;
}

function addMessage(from, body, type = "chat") {
  // The li's text is exactly the body; the sender is shown by CSS from data-from.
  const li = document.createElement("li");
  li.dataset.from = from;
  li.dataset.type = type; // "chat", "normal", "groupchat", "headline" or "error"
  li.textContent = body;
  $("messages").append(li);
  li.scrollIntoView({ block: "nearest" });
}

function errorText(err) {
  if (!err) return "unknown error";
  // SASLError / StreamError carry a condition and an optional text
  if (err.condition) return err.text ? `${err.condition}: ${err.text}` : err.condition;
  return err.message || String(err);
}

async function login(jidText, password) {
  const address = parseJid(jidText.trim());
  if (!address.local || !address.domain) throw new Error("JID must be user@domain");
  usedMechanism = "";

  xmpp = client({
    service,
    domain: address.domain,
    resource: address.resource || undefined,
    // A function here gets the mechanisms that both sides support and picks one.
    credentials: async (authenticate, mechanisms) => {
      const chosen = forcedMechanism
        ? mechanisms.find((m) => m === forcedMechanism)
        : mechanisms[0];
      if (!chosen) {
        throw new Error(
          `no usable SASL mechanism (server and client share: ${mechanisms.join(", ") || "none"})`,
        );
      }
      usedMechanism = chosen;
      console.info(`SASL mechanism: ${chosen} (shared: ${mechanisms.join(", ")})`);
      await authenticate(
        { username: address.local, password },
        chosen,
        xml("user-agent", { id: crypto.randomUUID() }, xml("software", {}, "Fluxmpp chat")),
      );
    },
  });

  if (debug) {
    xmpp.on("element", (el) => console.debug("IN ", el.toString()));
    xmpp.on("send", (el) => console.debug("OUT", el.toString()));
  }
  xmpp.on("status", (s) => console.debug(`xmpp status: ${s}`));
  xmpp.on("error", (err) => {
    console.error("xmpp error:", errorText(err));
    setStatus(`error: ${errorText(err)}`);
  });
  xmpp.on("offline", () => {
    setStatus("offline");
    showChat(false);
  });
  xmpp.on("stanza", (stanza) => {
    if (!stanza.is("message")) return;
    const type = stanza.attrs.type || "normal";
    if (type === "error") {
      const error = stanza.getChild("error");
      const condition = error?.getChildElements()[0]?.name ?? "unknown";
      console.warn(`message error from ${stanza.attrs.from}: ${condition}`);
      addMessage(
        parseJid(stanza.attrs.from || address.domain).bare().toString(),
        `[error: ${condition}]`,
        "error",
      );
      return;
    }
    const body = stanza.getChildText("body");
    if (body == null) return; // chat states, receipts, ...
    const from = stanza.attrs.from ? parseJid(stanza.attrs.from).bare().toString() : address.domain;
    addMessage(from, body, type);
  });
  xmpp.on("online", async (me) => {
    try {
      await xmpp.send(xml("presence"));
      $("me").textContent = me.toString();
      showChat(true);
      setStatus("online");
    } catch (err) {
      setStatus(`error: ${errorText(err)}`);
    }
  });

  setStatus("connecting");
  try {
    await xmpp.start();
  } catch (err) {
    // Stop the automatic reconnect after a failed first attempt (bad password, ...).
    const failed = xmpp;
    xmpp = null;
    failed.reconnect?.stop?.();
    await failed.stop().catch(() => {});
    throw err;
  }
}

async function logout() {
  const current = xmpp;
  if (!current) return;
  xmpp = null;
  try {
    await current.send(xml("presence", { type: "unavailable" }));
  } catch {
    // the stream may already be gone
  }
  await current.stop();
  setStatus("offline");
  showChat(false);
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login").disabled = true;
  try {
    await login($("jid").value, $("password").value);
  } catch (err) {
    console.error("login failed:", errorText(err));
    setStatus(`error: ${errorText(err)}`);
    showChat(false);
  }
});

$("send-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const to = $("to").value.trim();
  const body = $("body").value;
  if (!xmpp || !to || !body) return;
  try {
    await xmpp.send(xml("message", { to, type: "chat" }, xml("body", {}, body)));
    addMessage("me", body);
    $("body").value = "";
  } catch (err) {
    setStatus(`error: ${errorText(err)}`);
  }
});

$("logout").addEventListener("click", () => {
  logout().catch((err) => setStatus(`error: ${errorText(err)}`));
});

setStatus("offline");
