// What the interop scripts share: their command line, REST sign-in, the
// "ok - …" checks and the "N passed, M failed" line the C++ driver reads.
//
// usage of every script: node <script>.mjs <baseUrl> <userA> <userB> <password>

import assert from 'node:assert/strict';

export const [baseUrl, userA, userB, password] = process.argv.slice(2);

let passed = 0;

/** Runs one named check; a failure throws and ends the script through run(). */
export function check(name, fn) {
  fn();
  passed += 1;
  console.log(`ok - ${name}`);
}

/** POST /api/login; resolves to {token, userId, expiresAt}. */
export async function login(username) {
  const response = await fetch(`${baseUrl}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(response.status, 200, `login of ${username}`);
  return response.json();
}

/** Runs the script's main and prints the summary; exits 1 on the first failure. */
export function run(main) {
  main().then(
    () => console.log(`${passed} passed, 0 failed`),
    (error) => {
      console.error(`not ok - ${error.stack ?? error}`);
      console.log(`${passed} passed, 1 failed`);
      process.exit(1);
    });
}
