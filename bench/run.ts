import { cpus, loadavg } from 'node:os';
import type { Bench } from './bench.types.js';
import { formatTable } from './bench.utils.js';
import { bench as archiveBench } from './archive.bench.js';
import { bench as authLoginBench } from './auth-login.bench.js';
import { bench as blobStorageBench } from './blob-storage.bench.js';
import { bench as filesListingBench } from './files-listing.bench.js';
import { bench as filesSmallUploadsBench } from './files-small-uploads.bench.js';
import { bench as filesTransferBench } from './files-transfer.bench.js';
import { bench as searchBench } from './search.bench.js';
import { bench as memoryEmbeddedBench } from './memory-embedded.bench.js';
import { bench as sharingListingBench } from './sharing-listing.bench.js';
import { bench as sharingRolesBench } from './sharing-roles.bench.js';
import { bench as sharingZipBench } from './sharing-zip.bench.js';
import { bench as requestRateBench } from './request-rate.bench.js';
import { bench as transferCurlBench } from './transfer-curl.bench.js';
import { bench as webdavBench } from './webdav.bench.js';
import { bench as versionsWriteBench } from './versions-write.bench.js';
import { bench as webLoadBench } from './web-load.bench.js';

// Add a bench by importing it and listing it here.
const benches: Bench[] = [
  blobStorageBench,
  authLoginBench,
  requestRateBench,
  filesTransferBench,
  transferCurlBench,
  filesListingBench,
  filesSmallUploadsBench,
  archiveBench,
  sharingListingBench,
  sharingRolesBench,
  sharingZipBench,
  webdavBench,
  searchBench,
  versionsWriteBench,
  memoryEmbeddedBench,
  webLoadBench,
];

const filter = process.env.BENCH_FILTER ?? '';
const selected = benches.filter((bench) => bench.name.includes(filter));
if (selected.length === 0) {
  console.error(`No bench matches BENCH_FILTER="${filter}".`);
  process.exitCode = 1;
}
// Every figure depends on these: Node 20's V8 and Node 26's differ by an order of magnitude on
// some paths (copying an object by spread), and runs on different machines differ by more.
const [cpu] = cpus();
console.log(
  `Node ${process.version}, ${cpus().length} × ${cpu?.model ?? 'unknown CPU'}, load ${(loadavg()[0] ?? 0).toFixed(2)}`,
);
for (const bench of selected) {
  console.log(`\n## ${bench.name}\n`);
  const rows = await bench.run();
  console.log(formatTable(rows));
}
