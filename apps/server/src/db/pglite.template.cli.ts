import { buildPGliteTemplate } from './pglite.template-build.js';

// `node dist/pglite-template.js <dir>`: the build makes the embedded database's template with it.
const [templateDir] = process.argv.slice(2);
if (!templateDir) throw new Error('Usage: pglite-template.js <template directory>');
await buildPGliteTemplate({ templateDir });
