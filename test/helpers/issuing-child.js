'use strict';
// A process that issues OAuth 2.0 access tokens as fast as it can through the compiled store and
// token issuer (32 at a time, so the group commit batches them) and prints the digest of each token
// once its issue() has resolved, that is once it is acknowledged. The group-commit test kills it
// with SIGKILL and then looks every printed digest up. Argument: JSON { databaseUrl, dataDir, schema }.
require('reflect-metadata');
const path = require('node:path');
const dist = path.resolve(__dirname, '..', '..', 'dist', 'src');
const { openStore } = require(path.join(dist, 'storage'));
const { tokenIssuer } = require(path.join(dist, 'oauth2', 'issue'));
const { tokenDigest } = require(path.join(dist, 'crypto'));

async function main() {
  const options = JSON.parse(process.argv[2]);
  const store = await openStore(options);
  const issuer = tokenIssuer(store, () => ({ accessToken: 3600, refreshToken: 3600 }));
  const client = { clientId: 'killed-client' };
  process.stdout.write('ready\n');
  const worker = async () => {
    for (;;) {
      const issued = await issuer.issue({ client, userId: null, scope: ['read'], grantType: 'client_credentials', refresh: true }, Date.now());
      process.stdout.write(`${tokenDigest(issued.accessToken)} ${tokenDigest(issued.refreshToken)}\n`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

main().catch((err) => {
  process.stderr.write(`issuing child failed: ${err.stack}\n`);
  process.exit(1);
});
