// Bundles the chat page: src/chat.js -> <out>/chat.js (minified ES module),
// and copies index.html and chat.css. Output directory: --outdir=<dir>, else
// the OUT_DIR environment variable, else ./dist (relative to this directory).
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const arg = process.argv.slice(2).find((a) => a.startsWith("--outdir="));
const outDir = resolve(here, arg ? arg.slice("--outdir=".length) : process.env.OUT_DIR || "dist");

// @xmpp/resolve@0.14 maps "./lib/dns" to false in its "browser" field but
// imports "./lib/dns.js", which pulls in node:dns. Apply the intended mapping:
// an empty module, so resolve.js sees no dns.resolve and only uses HTTP lookup
// (which is never reached anyway with a ws(s):// service URL).
const browserDnsStub = {
  name: "xmpp-resolve-browser-dns",
  setup(b) {
    b.onResolve({ filter: /^\.\/lib\/dns(\.js)?$/ }, (args) =>
      /[\\/]@xmpp[\\/]resolve[\\/]/.test(args.importer)
        ? { path: "xmpp-resolve-dns", namespace: "empty" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
  },
};

await mkdir(outDir, { recursive: true });
await build({
  absWorkingDir: here,
  entryPoints: ["src/chat.js"],
  outfile: resolve(outDir, "chat.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["chrome110", "firefox115", "safari16", "edge110"],
  minify: true,
  sourcemap: "linked",
  legalComments: "linked",
  logLevel: "warning",
  plugins: [browserDnsStub],
});
await copyFile(resolve(here, "index.html"), resolve(outDir, "index.html"));
await copyFile(resolve(here, "chat.css"), resolve(outDir, "chat.css"));
console.log(`chat page built into ${outDir}`);
