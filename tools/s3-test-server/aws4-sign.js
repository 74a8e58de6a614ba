// Signs requests with the aws4 package, the reference the storage tests hold our own
// Signature Version 4 signer to. Reads a JSON array of cases on standard input and prints
// a JSON array of {canonicalRequest, authorization}, one per case, in the same order.
//
// A case: {method, host, path (percent-encoded, as sent), query: [[name, value], ...]
// (not encoded), headers: [[name, value], ...], bodyHex, payloadHash (optional: sent as
// x-amz-content-sha256), service, region, datetime ("20150830T123600Z"),
// credentials: {accessKeyId, secretAccessKey, sessionToken (optional)}}.
"use strict";

const aws4 = require("aws4");

function queryString(pairs) {
  return pairs
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
}

function sign(c) {
  const headers = { "X-Amz-Date": c.datetime };
  for (const [name, value] of c.headers) headers[name] = value;
  if (c.payloadHash !== undefined) headers["X-Amz-Content-Sha256"] = c.payloadHash;
  const query = queryString(c.query);
  const request = {
    host: c.host,
    method: c.method,
    path: query ? `${c.path}?${query}` : c.path,
    headers,
    // Only a request with a body has one: aws4 adds Content-Type and Content-Length to any.
    body: c.bodyHex ? Buffer.from(c.bodyHex, "hex") : undefined,
    service: c.service,
    region: c.region,
  };
  const credentials = {
    accessKeyId: c.credentials.accessKeyId,
    secretAccessKey: c.credentials.secretAccessKey,
  };
  if (c.credentials.sessionToken) credentials.sessionToken = c.credentials.sessionToken;
  const signer = new aws4.RequestSigner(request, credentials);
  const signed = signer.sign();
  return { canonicalRequest: signer.canonicalString(), authorization: signed.headers.Authorization };
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(sign)) + "\n");
});
