#!/usr/bin/env node
// Drives the webflux-chat page in headless Chromium (Debian's `chromium`) with
// playwright-core: log in, send one chat message to a peer, wait for the peer's
// reply, take a full-page screenshot, log out.
//
// Usage:
//   node chat-session.mjs --url=<page url> --jid=<jid> --password=<pw> \
//        --peer=<peer jid> --message=<text> [--expect=<reply text>] \
//        [--screenshot=<png path>] [--timeout=<ms>]
//
// Every option can also come from the environment (the option wins):
//   --url        CHAT_URL         page URL, e.g. https://localhost:8443/  (may carry
//                                 ?service=wss://host:port/xmpp-websocket&mechanism=SCRAM-SHA-1)
//   --jid        CHAT_JID         e.g. alice@localhost
//   --password   CHAT_PASSWORD
//   --peer       CHAT_PEER        JID the message goes to; the reply must come from its bare JID
//   --message    CHAT_MESSAGE     text to send
//   --expect     CHAT_EXPECT      exact text of the expected reply; absent or empty:
//                                 any new message from the peer
//   --screenshot CHAT_SCREENSHOT  PNG path (default: chat-session.png in the working dir)
//   --timeout    CHAT_TIMEOUT_MS  overall time limit in ms (default 30000)
//   CHROMIUM                      browser executable (default /usr/bin/chromium)
//   FRONTEND_DIR                  directory whose node_modules holds playwright-core
//                                 (default ../../main/frontend next to this file)
//
// Output: exactly one JSON line on stdout,
//   {"ok":true,"received":"<reply text>","screenshot":"<path>","mechanism":"<SASL mech>","console":[...]}
// or
//   {"ok":false,"error":"...","screenshot":"<path or null>","console":[...]}
// with exit status 0 or 1. "console" holds the page's console messages, page
// errors and failed requests. Diagnostics go to stderr.
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const frontendDir = resolve(
  process.env.FRONTEND_DIR || resolve(here, "../../main/frontend"),
);

function options() {
  const args = {};
  for (const a of process.argv.slice(2)) {
    const m = /^--([a-z]+)=(.*)$/s.exec(a);
    if (!m) throw new Error(`unrecognised argument: ${a}`);
    args[m[1]] = m[2];
  }
  const env = process.env;
  const o = {
    url: args.url ?? env.CHAT_URL,
    jid: args.jid ?? env.CHAT_JID,
    password: args.password ?? env.CHAT_PASSWORD,
    peer: args.peer ?? env.CHAT_PEER,
    message: args.message ?? env.CHAT_MESSAGE,
    expect: args.expect ?? env.CHAT_EXPECT ?? "",
    screenshot: resolve(args.screenshot ?? env.CHAT_SCREENSHOT ?? "chat-session.png"),
    timeout: Number(args.timeout ?? env.CHAT_TIMEOUT_MS ?? 30000),
    chromium: env.CHROMIUM || "/usr/bin/chromium",
  };
  for (const k of ["url", "jid", "password", "peer", "message"]) {
    if (!o[k]) throw new Error(`missing --${k}`);
  }
  if (!(o.timeout > 0)) throw new Error(`bad --timeout: ${o.timeout}`);
  return o;
}

function bare(jid) {
  return jid.replace(/\/.*$/s, "").toLowerCase();
}

const consoleLines = [];
let opts;
let browser;
let page;
let screenshot = null;

function emit(result) {
  process.stdout.write(JSON.stringify({ ...result, console: consoleLines }) + "\n");
}

async function run() {
  opts = options();
  const deadline = Date.now() + opts.timeout;
  const left = () => Math.max(1, deadline - Date.now());
  // Last resort if the browser itself hangs; playwright's timeouts cover the rest.
  setTimeout(() => {
    emit({ ok: false, error: "hard timeout", screenshot });
    process.exit(1);
  }, opts.timeout + 30000).unref();

  const require = createRequire(resolve(frontendDir, "package.json"));
  const { chromium } = require("playwright-core");

  browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: true,
    args: ["--ignore-certificate-errors", "--no-sandbox"],
    timeout: left(),
  });
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 900, height: 700 },
  });
  page = await context.newPage();
  page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) =>
    consoleLines.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ""}`),
  );
  page.on("websocket", (ws) => {
    consoleLines.push(`websocket: open ${ws.url()}`);
    ws.on("socketerror", (e) => consoleLines.push(`websocket: error ${e}`));
    ws.on("close", () => consoleLines.push(`websocket: closed ${ws.url()}`));
  });

  await page.goto(opts.url, { waitUntil: "load", timeout: left() });
  await page.fill("#jid", opts.jid, { timeout: left() });
  await page.fill("#password", opts.password, { timeout: left() });
  await page.click("#login", { timeout: left() });

  const status = await (
    await page.waitForFunction(
      () => {
        const s = document.querySelector("#status")?.textContent ?? "";
        return s === "online" || s.startsWith("error") ? s : false;
      },
      null,
      { timeout: left() },
    )
  ).jsonValue();
  if (status !== "online") throw new Error(`login failed, #status: ${status}`);
  const mechanism = await page.getAttribute("#status", "data-mechanism");

  const peer = bare(opts.peer);
  const fromPeer = `#messages li[data-from="${peer.replaceAll('"', '\\"')}"]`;
  const before = await page.locator(fromPeer).count();

  await page.fill("#to", opts.peer, { timeout: left() });
  await page.fill("#body", opts.message, { timeout: left() });
  await page.click("#send", { timeout: left() });

  let received;
  try {
    received = await (
      await page.waitForFunction(
        ({ selector, before, expect }) => {
          const items = [...document.querySelectorAll(selector)].slice(before);
          const bounce = items.find((li) => li.dataset.type === "error");
          if (bounce) return { bounce: bounce.textContent };
          const hit = items.find((li) => !expect || li.textContent === expect);
          if (hit) return hit.textContent;
          const s = document.querySelector("#status")?.textContent ?? "";
          return s.startsWith("error") ? { status: s } : false;
        },
        { selector: fromPeer, before, expect: opts.expect },
        { timeout: left() },
      )
    ).jsonValue();
  } catch (e) {
    const seen = await page
      .$$eval("#messages li", (lis) => lis.map((li) => `${li.dataset.from}: ${li.textContent}`))
      .catch(() => []);
    throw new Error(
      `no ${opts.expect ? `reply "${opts.expect}"` : "reply"} from ${peer} ` +
        `(messages: ${JSON.stringify(seen)}): ${e.message.split("\n")[0]}`,
    );
  }
  if (received.bounce) {
    throw new Error(`the message to ${peer} bounced: ${received.bounce}`);
  }
  if (typeof received !== "string") {
    throw new Error(`waiting for the reply, #status: ${received.status}`);
  }

  await page.screenshot({ path: opts.screenshot, fullPage: true, timeout: left() });
  screenshot = opts.screenshot;

  await page.click("#logout", { timeout: left() });
  await page.waitForFunction(
    () => document.querySelector("#status")?.textContent === "offline",
    null,
    { timeout: left() },
  );

  return { ok: true, received, screenshot, mechanism };
}

let exitCode = 0;
try {
  emit(await run());
} catch (e) {
  exitCode = 1;
  if (page && !screenshot && opts?.screenshot) {
    try {
      await page.screenshot({ path: opts.screenshot, fullPage: true, timeout: 5000 });
      screenshot = opts.screenshot;
    } catch (se) {
      console.error(`screenshot after failure failed: ${se.message}`);
    }
  }
  emit({ ok: false, error: String(e?.message ?? e), screenshot });
} finally {
  if (browser) {
    await browser.close().catch((e) => console.error(`browser close: ${e.message}`));
  }
}
process.exitCode = exitCode;
