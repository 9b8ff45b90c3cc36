// Every config.json boxlabd writes for runc is a valid OCI runtime spec: containers made by the real docker
// CLI with the flags the notes use, each bundle's config.json validated against the runtime-spec schema.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { useEngine } from '../../helpers/engine-suite.js';
import { runtimeSpecValidator } from '../../helpers/runtime-spec-schema.js';

const CASES: Record<string, string[]> = {
  plain: ['busybox', 'sleep', '100'],
  tty: ['-t', '-i', 'busybox', 'sh'],
  limits: ['-m', '64m', '--memory-swap', '128m', '--cpus', '0.5', '--cpu-shares', '512', '--cpuset-cpus', '0', '--pids-limit', '50', 'busybox', 'sleep', '100'],
  security: ['--cap-drop', 'ALL', '--cap-add', 'NET_ADMIN', '--read-only', '-u', '1000:1000', 'busybox', 'sleep', '100'],
  privileged: ['--privileged', 'busybox', 'sleep', '100'],
  mounts: ['-v', 'schema-vol:/data', '-v', '/tmp:/host-tmp:ro', '--tmpfs', '/run:size=8m', '--mount', 'type=tmpfs,target=/cache', 'busybox', 'sleep', '100'],
  init: ['--init', '-e', 'A=1', '-w', '/tmp', '-h', 'box', '-l', 'x=y', 'busybox', 'sleep', '100'],
  'network host': ['--network', 'host', 'busybox', 'sleep', '100'],
  'network none': ['--network', 'none', 'busybox', 'sleep', '100'],
};

describe('docker CLI: every config.json is a valid OCI runtime spec', function () {
  this.timeout(60_000);
  const engine = useEngine({ removeAfterEach: 'containers' });
  const validate = runtimeSpecValidator();

  for (const [name, args] of Object.entries(CASES)) {
    it(`${name}: docker run -d ${args.join(' ')}`, async () => {
      const id = (await engine.dockerOk(['run', '-d', ...args])).trim();
      const file = path.join(engine.root, 'containers', id, 'config.json');
      const spec = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(validate(spec), true, `${file}:\n${JSON.stringify(validate.errors, null, 2)}`);
      assert.equal((await engine.dockerOk(['inspect', '-f', '{{.State.Running}}', id])).trim(), 'true');
    });
  }
});
