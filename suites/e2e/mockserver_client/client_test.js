// Drives attest-mock with MockServer's official JavaScript client (npm mockserver-client) as a
// MockServer user's test would, and prints one TAP line per check: "ok N - what" or
// "not ok N - what: why". Usage: node client_test.js PORT. Exit 0 only when every check passed.
"use strict";
const http = require("http");
const assert = require("assert");
const { mockServerClient } = require("mockserver-client");

const port = Number(process.argv[2]);
const client = mockServerClient("127.0.0.1", port);

// A plain HTTP call, as the code under test would make it.
function call(method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let data = "";
      res.on("data", (c) => (data += c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// The client's promises are Q promises: wrap them so that await works and errors carry the body.
const wait = (p) => new Promise((resolve, reject) => p.then(resolve, reject));

let n = 0;
let failed = 0;
async function check(what, fn) {
  n += 1;
  try {
    await fn();
    console.log(`ok ${n} - ${what}`);
  } catch (e) {
    failed += 1;
    const why = (e && e.message) || (typeof e === "string" ? e : JSON.stringify(e));
    console.log(`not ok ${n} - ${what}: ${String(why).split("\n").join(" | ")}`);
  }
}

async function main() {
  await check("reset answers", () => wait(client.reset()));

  await check("mockAnyResponse creates an expectation that answers", async () => {
    await wait(client.mockAnyResponse({
      id: "token",
      httpRequest: { method: "POST", path: "/api/auth/token",
                     headers: [{ name: "Content-Type", values: ["application/json"] }],
                     body: { type: "JSON", json: { client_id: "ingester" } } },
      httpResponse: { statusCode: 200, headers: { "Content-Type": ["application/json"] },
                      body: JSON.stringify({ token: "t-1" }),
                      delay: { timeUnit: "MILLISECONDS", value: 10 } },
      times: { unlimited: true },
    }));
    const r = await call("POST", "/api/auth/token", {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_id: "ingester", scope: "read" }),
    });
    assert.strictEqual(r.status, 200);
    assert.deepStrictEqual(JSON.parse(r.body), { token: "t-1" });
  });

  await check("a request no expectation matches gets 404", async () => {
    const r = await call("POST", "/api/auth/token", { body: "{}" });
    assert.strictEqual(r.status, 404);
  });

  await check("mockSimpleResponse answers once (times: remainingTimes 1)", async () => {
    await wait(client.mockSimpleResponse("/once", { hello: "world" }, 203));
    const first = await call("GET", "/once");
    assert.strictEqual(first.status, 203);
    assert.deepStrictEqual(JSON.parse(first.body), { hello: "world" });
    const second = await call("GET", "/once");
    assert.strictEqual(second.status, 404);
  });

  await check("verify holds (202) for a request received", () =>
    wait(client.verify({ method: "POST", path: "/api/auth/token" }, 2, 2)));

  await check("verify fails (406) with the reason for a request never received", async () => {
    let rejected;
    await wait(client.verify({ path: "/never" }, 1)).then(
      () => { rejected = null; }, (e) => { rejected = e; });
    assert.ok(rejected, "verify of a request never received resolved");
    assert.match(String(rejected), /Request not found at least once/);
  });

  await check("verifyById counts the requests its expectation matches", () =>
    wait(client.verifyById({ id: "token" }, 1)));

  await check("verifySequence holds in order and fails out of order", async () => {
    await wait(client.verifySequence({ path: "/api/auth/token" }, { path: "/once" }));
    let rejected;
    await wait(client.verifySequence({ path: "/once" }, { path: "/api/auth/token", method: "POST" }))
      .then(() => { rejected = null; }, (e) => { rejected = e; });
    assert.ok(rejected, "an out-of-order sequence verified");
    assert.match(String(rejected), /Request sequence not found/);
  });

  await check("retrieveRecordedRequests returns what came, filtered by path", async () => {
    const all = await wait(client.retrieveRecordedRequests({}));
    assert.strictEqual(all.length, 4);
    const tokens = await wait(client.retrieveRecordedRequests({ path: "/api/auth/token" }));
    assert.strictEqual(tokens.length, 2);
    assert.strictEqual(tokens[0].method, "POST");
    assert.deepStrictEqual(tokens[0].body.json, { client_id: "ingester", scope: "read" });
  });

  await check("retrieveActiveExpectations lists the live ones (the used-up one is gone)",
    async () => {
      const active = await wait(client.retrieveActiveExpectations({}));
      assert.deepStrictEqual(active.map((e) => e.id), ["token"]);
      assert.strictEqual(active[0].httpRequest.path, "/api/auth/token");
    });

  await check("the same id replaces an expectation (upsert)", async () => {
    await wait(client.mockAnyResponse({ id: "token", httpRequest: { path: "/api/auth/token" },
                                        httpResponse: { statusCode: 503 } }));
    const r = await call("POST", "/api/auth/token", { body: "{}" });
    assert.strictEqual(r.status, 503);
    const active = await wait(client.retrieveActiveExpectations({}));
    assert.strictEqual(active.length, 1);
  });

  await check("clear by path removes expectations and requests", async () => {
    await wait(client.clear("/api/auth/token", "ALL"));
    const active = await wait(client.retrieveActiveExpectations({}));
    assert.strictEqual(active.length, 0);
    const left = await wait(client.retrieveRecordedRequests({}));
    assert.deepStrictEqual(left.map((r) => r.path), ["/once", "/once"]);
  });

  await check("an invalid expectation is refused with 400", async () => {
    let rejected;
    await wait(client.mockAnyResponse({ httpRequest: { path: "/x" },
                                        httpResponse: { statusCode: "two hundred" } }))
      .then(() => { rejected = null; }, (e) => { rejected = e; });
    assert.ok(rejected, "accepted a statusCode that is not a number");
    assert.match(String(rejected), /incorrect request format.*statusCode/);
  });

  await check("reset forgets every expectation and request", async () => {
    await wait(client.reset());
    const requests = await wait(client.retrieveRecordedRequests({}));
    assert.strictEqual(requests.length, 0);
    const r = await call("GET", "/once");
    assert.strictEqual(r.status, 404);
  });

  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`not ok - the script failed: ${e && e.stack}`);
  process.exit(1);
});
