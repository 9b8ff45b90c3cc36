import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalVolumeStore } from '../../../../src/engine/volumes/local-volume-store.js';
import { volumeMountResolver } from '../../../../src/engine/volumes/volume-mount-resolver.js';
import { MemoryTracer } from '../../../../src/engine/trace/tracer.js';
import type { MountResolver } from '../../../../src/engine/containers/container-deps.js';

describe('volumeMountResolver (the container service port)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'boxlab-volumes-resolver-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates named and anonymous volumes and -v host folders, traces each bind, lists copy-ups', async () => {
    const tracer = new MemoryTracer();
    const store = new LocalVolumeStore(path.join(root, 'volumes'));
    const resolver: MountResolver = volumeMountResolver(store, { volumesDir: path.join(root, 'volumes'), tracer });
    const hostDir = path.join(root, 'host/www');
    const r = await resolver({
      containerId: 'c1',
      hostConfig: { Binds: ['data:/data', `${hostDir}:/www:ro`] },
      imageVolumes: { '/var/lib/app': {} },
      mountsOf: async () => [],
    });
    assert.deepEqual((await store.list()).map((v) => v.Name).sort(), ['data', r.anonymousVolumes[0]].sort());
    assert.ok(existsSync(hostDir));
    assert.deepEqual(tracer.events.map((e) => [e.step, e.details.destination, e.details.readOnly]), [
      ['volume.mount', '/data', false],
      ['volume.mount', '/www', true],
      ['volume.mount', '/var/lib/app', false],
    ]);
    assert.match(tracer.events[1].text.en, /read-only/);
    const withCopy = r as typeof r & { copyUp: Array<{ volume: string; volumeDir: string }> };
    assert.deepEqual(withCopy.copyUp.map((c) => c.volume), ['data', r.anonymousVolumes[0]]);
    assert.equal(withCopy.copyUp[0].volumeDir, store.dataDir('data'));
  });

  it('asks the service for --volumes-from containers', async () => {
    const store = new LocalVolumeStore(path.join(root, 'volumes'));
    const asked: string[] = [];
    const r = await volumeMountResolver(store, { volumesDir: path.join(root, 'volumes') })({
      containerId: 'c2',
      hostConfig: { VolumesFrom: ['web:ro'] },
      imageVolumes: null,
      mountsOf: async (ref) => {
        asked.push(ref);
        return [{ Type: 'bind', Source: '/srv', Destination: '/srv', Mode: '', RW: true, Propagation: 'rprivate' }];
      },
    });
    assert.deepEqual(asked, ['web']);
    assert.deepEqual(r.ociMounts, [{ destination: '/srv', type: 'bind', source: '/srv', options: ['rbind', 'rprivate', 'ro'] }]);
  });
});
