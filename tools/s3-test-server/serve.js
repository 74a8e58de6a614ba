// Runs s3rver, a local S3-compatible server, for the tests (scripts/test-services starts
// it). Listens on 127.0.0.1 only, keeps its objects under --directory, creates --bucket,
// and writes the port it listens on to --port-file once it accepts connections (port 0
// lets the kernel choose a free one). Stops cleanly on SIGTERM or SIGINT.
//
// Usage: node serve.js --directory DIR --port N --bucket NAME --port-file FILE
"use strict";

// The process's name (what /proc/PID/comm shows), so a stale pid file can never make a
// script stop some other program.
process.title = "boxoffice-s3";

const fs = require("fs");
const S3rver = require("s3rver");

function option(name) {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0 || at + 1 >= process.argv.length) {
    console.error(`serve.js: --${name} is required`);
    process.exit(2);
  }
  return process.argv[at + 1];
}

const directory = option("directory");
const port = Number(option("port"));
const bucket = option("bucket");
const portFile = option("port-file");

fs.mkdirSync(directory, { recursive: true });
const server = new S3rver({
  address: "127.0.0.1",
  port,
  directory,
  silent: true,
  configureBuckets: [{ name: bucket, configs: [] }],
});

server.run().then(
  (address) => {
    fs.writeFileSync(`${portFile}.tmp`, `${address.port}\n`);
    fs.renameSync(`${portFile}.tmp`, portFile);
    console.log(`s3rver: listening on 127.0.0.1:${address.port}, bucket ${bucket}, data in ${directory}`);
  },
  (error) => {
    console.error(`s3rver: cannot start: ${error.message}`);
    process.exit(1);
  },
);

// A client holding a connection open must not keep the server alive past a stop.
const closeGrace_ms = 2000;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    setTimeout(() => process.exit(0), closeGrace_ms).unref();
    server.close(() => process.exit(0));
  });
}
