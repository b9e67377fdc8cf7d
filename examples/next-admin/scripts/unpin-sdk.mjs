// npm records the packed SDK's checksum in package-lock.json; the tarball is rebuilt from the
// SDK's current source before every install, so a recorded checksum would either fail `npm ci`
// (EINTEGRITY) or, worse, let npm serve an older SDK from its cache. Every other package stays
// pinned with its checksum, from the npm registry.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const sdk = lock.packages?.['node_modules/@runhub/client'];
if (!sdk) throw new Error('package-lock.json has no node_modules/@runhub/client: run npm install first');
delete sdk.integrity;
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
