import { buildApp } from './e2e-server.js';

/** One build for every e2e file: rebuilding per file cost the run a build each time. */
export default function setup() {
  buildApp();
}
