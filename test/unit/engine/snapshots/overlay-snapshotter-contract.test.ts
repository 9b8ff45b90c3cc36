import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OverlaySnapshotter } from '../../../../src/engine/snapshots/overlay-snapshotter.js';
import { MemoryTracer } from '../../../../src/engine/trace/tracer.js';
import { snapshotterContract } from './snapshotter-contract.js';

snapshotterContract('OverlaySnapshotter', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'boxlab-snapshots-contract-'));
  return {
    snapshotter: new OverlaySnapshotter(root, new MemoryTracer(), { isMounted: async () => false }),
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
});
