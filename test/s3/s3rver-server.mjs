// Child process for tests: s3rver on 127.0.0.1 (free port), counting what it serves; driven over IPC by s3rver-fixture.ts.
// Runs with --openssl-legacy-provider: s3rver encrypts ListObjectsV2 continuation tokens with DES.
import S3rver from "s3rver";

const { directory, buckets } = JSON.parse(process.argv[2] ?? "{}");
const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  silent: true,
  directory,
  configureBuckets: (buckets ?? []).map((name) => ({ name, configs: [] })),
});

/** Per request: method, path and query, Range header, status, response body bytes. */
let log = [];
let sockets = new Set();

const address = await server.run();
server.httpServer.on("connection", (s) => sockets.add(s));
server.httpServer.prependListener("request", (req, res) => {
  const entry = { method: req.method, url: req.url, range: req.headers.range ?? null, status: 0, bytes: 0 };
  log.push(entry);
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  const count = (chunk, encoding) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function") return;
    entry.bytes += typeof chunk === "string" ? Buffer.byteLength(chunk, typeof encoding === "string" ? encoding : "utf8") : chunk.length;
  };
  res.write = (chunk, encoding, cb) => { count(chunk, encoding); return write(chunk, encoding, cb); };
  res.end = (chunk, encoding, cb) => { count(chunk, encoding); entry.status = res.statusCode; return end(chunk, encoding, cb); };
});

async function shutdown() {
  for (const s of sockets) s.destroy();
  await server.close().catch(() => undefined);
  process.exit(0);
}

process.on("message", (m) => {
  if (m.op === "log") process.send({ id: m.id, log });
  else if (m.op === "reset") { log = []; process.send({ id: m.id }); }
  else if (m.op === "close") void shutdown();
});
// The test process went away (crash, kill): never outlive it.
process.on("disconnect", () => void shutdown());
process.send({ op: "ready", port: address.port });
