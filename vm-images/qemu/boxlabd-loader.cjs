// Starts the bundled boxlabd (/opt/boxlab/boxlabd.cjs) with V8's code cache (boxlabd.cjs.cache) so the
// guest's node does not parse and compile 800 KB of JavaScript at boot: under TCG that work is emulated
// and cost ~1 s. The image builder runs this file on the host with --produce-cache (same node binary as
// the guest, so V8 accepts the cache); a rejected cache only means a slower start.
// usage: node boxlabd-loader.cjs <socket> <root>    |    node boxlabd-loader.cjs --produce-cache
'use strict';
// how long node's own start took, for the boot log (boxlabd-entry.mjs prints it)
process.env.BOXLAB_LOADER_STARTED_MS = String(Math.round(performance.now()));
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');

const bundle = path.join(__dirname, 'boxlabd.cjs');
const cacheFile = `${bundle}.cache`;
const produce = process.argv[2] === '--produce-cache';

let cachedData;
if (!produce) {
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache: compile from source
  }
}
const wrapped = `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(bundle, 'utf8')}\n})`;
const script = new vm.Script(wrapped, { filename: bundle, cachedData });
const mod = { exports: {} };
script.runInThisContext()(mod.exports, createRequire(bundle), mod, bundle, __dirname);

if (produce) {
  fs.writeFileSync(cacheFile, script.createCachedData());
} else {
  if (cachedData && script.cachedDataRejected) process.stderr.write('boxlabd: code cache rejected (another node?), compiled from source\n');
  mod.exports.main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`boxlabd: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
}
