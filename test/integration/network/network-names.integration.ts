// Issue 12, findings 4 and 12, with the real docker CLI and raw API requests against a real boxlabd:
// a bridge name is an interface name (no newline may add an `ip` command; an interface that is not a
// bridge is refused and survives; a bridge the engine did not create outlives its network); the hostile
// corpus (test/fixtures/hostile/network/) is refused with 400 and the host's interfaces stay as they were;
// a container disconnected from its only network starts with loopback only; `docker start -a` works on a
// created and on an exited container with both docker CLIs.
// The victims are a veth pair the test makes (this kernel has no dummy module); they are removed after.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';
import { request } from '../../unit/engine/api/api-client.js';

const VICTIM = 'bxv0';
const VICTIM_PEER = 'bxv1';
const FOREIGN_BRIDGE = 'bxb0';
const CORPUS = path.join(REPO_ROOT, 'test/fixtures/hostile/network');

/**
 * The host's interface names (`ip -o link`), sorted, without the bridges and veths that engines make
 * (br-*, bxl*, veth*): other engines run on this host at the same time. What an injected command would
 * make or delete (an "x" bridge, lo, eth0, the victims) stays in the list.
 */
async function interfaces(): Promise<string[]> {
  const out = (await run('ip', ['-o', 'link', 'show'])).stdout;
  return out.split('\n').filter(Boolean).map((l) => l.split(': ')[1].split('@')[0]).filter((n) => !/^(br-|bxl|veth)/.test(n)).sort();
}

async function linkExists(name: string): Promise<boolean> {
  return (await run('ip', ['link', 'show', 'dev', name], { allowFailure: true })).exitCode === 0;
}

/** a raw API request; the answer's status and Docker's `message` */
async function api(socketPath: string, method: string, urlPath: string, body: unknown): Promise<{ status: number; message: string }> {
  const res = await request(socketPath, method, `/v1.41${urlPath}`, JSON.stringify(body), { 'Content-Type': 'application/json' });
  try {
    return { status: res.status, message: (JSON.parse(res.text) as { message?: string }).message ?? res.text };
  } catch {
    return { status: res.status, message: res.text };
  }
}

describe('network: names that reach ip, iptables and /etc/hosts; starts without a network (issue 12)', function () {
  this.timeout(180_000);
  const engine = useEngine({ needs: ['iptables'] });

  beforeEach(async () => {
    await run('ip', ['link', 'del', VICTIM], { allowFailure: true });
    await run('ip', ['link', 'add', VICTIM, 'type', 'veth', 'peer', 'name', VICTIM_PEER]);
  });
  afterEach(async () => {
    await run('ip', ['link', 'del', VICTIM], { allowFailure: true });
    await run('ip', ['link', 'del', FOREIGN_BRIDGE], { allowFailure: true });
    // what the injected commands of the first test made before the fix
    await run('ip', ['link', 'del', 'x'], { allowFailure: true });
  });

  /** stops the engine, runs the checks, and starts it again whatever they found */
  const whileStopped = async (check: () => Promise<void>) => {
    await engine.stopEngine();
    try {
      await check();
    } finally {
      await engine.startEngine();
    }
  };

  it("a bridge name with a newline is refused with Docker's words and runs no ip command", async () => {
    const before = await interfaces();
    // the first line makes a bridge `x`, the second deletes the victim, the third takes the rest of the
    // line boxlabd appends (what boxlabd ran before the fix)
    const res = await engine.docker(['network', 'create', '-o', `com.docker.network.bridge.name=x type bridge\nlink del ${VICTIM}\nlink show`, 'injected']);
    assert.ok(await linkExists(VICTIM), 'the victim interface is still there');
    assert.deepEqual(await interfaces(), before);
    assert.equal(res.exitCode, 1);
    assert.match(res.stderr, /Error response from daemon: invalid argument: bridge name "x type bridge\\nlink del bxv0\\nlink show" \(com\.docker\.network\.bridge\.name\) is not a valid interface name: it contains a newline/);
    assert.equal((await engine.docker(['network', 'inspect', 'injected'])).exitCode, 1);
  });

  it('naming an interface that is not a bridge is refused (as dockerd); it survives network rm and the engine stop', async () => {
    const res = await engine.docker(['network', 'create', '-o', `com.docker.network.bridge.name=${VICTIM}`, 'adopter']);
    assert.equal(res.exitCode, 1);
    assert.match(res.stderr, /Error response from daemon: existing interface bxv0 is not a bridge/);
    await engine.docker(['network', 'rm', 'adopter']);
    assert.ok(await linkExists(VICTIM), 'the veth is still there after network rm');
    await whileStopped(async () => assert.ok(await linkExists(VICTIM), 'the veth is still there after the engine stopped'));
    assert.ok(await linkExists(VICTIM));
  });

  it('a bridge the engine did not create is used, and stays after network rm and the engine stop (as dockerd)', async () => {
    await run('ip', ['link', 'add', FOREIGN_BRIDGE, 'type', 'bridge']);
    await engine.dockerOk(['network', 'create', '--subnet', '10.214.0.0/24', '-o', `com.docker.network.bridge.name=${FOREIGN_BRIDGE}`, 'foreign']);
    const out = await engine.dockerOk(['run', '--rm', '--network', 'foreign', 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0']);
    assert.match(out, /inet 10\.214\.0\.2\/24/);
    await whileStopped(async () => assert.ok(await linkExists(FOREIGN_BRIDGE), 'the engine stop left the bridge it did not create'));
    await engine.dockerOk(['network', 'rm', 'foreign']);
    assert.ok(await linkExists(FOREIGN_BRIDGE), 'network rm left the bridge it did not create');
  });

  it('every request of the hostile corpus is refused with 400 and a message naming the value; nothing changes on the host', async () => {
    await engine.dockerOk(['network', 'create', '--subnet', '10.213.0.0/24', 'hostile-net']);
    await engine.dockerOk(['create', '--name', 'hostile-victim', 'busybox', 'true']);
    const before = await interfaces();
    const files = (await fs.readdir(CORPUS)).filter((f) => f.endsWith('.json')).sort();
    assert.ok(files.length >= 20, `the corpus has ${files.length} cases`);
    const wrong: string[] = [];
    for (const file of files) {
      const c = JSON.parse(await fs.readFile(path.join(CORPUS, file), 'utf8')) as { method: string; path: string; body: unknown; expect: string };
      const res = await api(engine.socketPath, c.method, c.path, c.body);
      if (res.status !== 400 || !new RegExp(c.expect).test(res.message)) wrong.push(`${file}: ${res.status} ${JSON.stringify(res.message)}`);
    }
    assert.deepEqual(wrong, []);
    assert.deepEqual(await interfaces(), before);
    assert.ok(await linkExists(VICTIM));
    // the engine is up and made nothing
    const networks = (await engine.dockerOk(['network', 'ls', '--format', '{{.Name}}'])).split('\n').filter(Boolean).sort();
    assert.deepEqual(networks, ['bridge', 'host', 'hostile-net', 'none']);
    assert.deepEqual((await engine.dockerOk(['ps', '-a', '--format', '{{.Names}}'])).trim(), 'hostile-victim');
    const [victim] = JSON.parse(await engine.dockerOk(['inspect', 'hostile-victim'])) as Array<{ NetworkSettings: { Networks: Record<string, unknown> } }>;
    assert.deepEqual(Object.keys(victim.NetworkSettings.Networks), ['bridge']);
    await engine.dockerOk(['rm', 'hostile-victim']);
    await engine.dockerOk(['network', 'rm', 'hostile-net']);
  });

  it('a container disconnected from its only network starts with loopback only (user network and default bridge)', async () => {
    await engine.dockerOk(['network', 'create', 'solo']);
    await engine.dockerOk(['create', '--name', 'on-solo', '--network', 'solo', 'busybox', 'ip', '-o', 'link']);
    await engine.dockerOk(['create', '--name', 'on-bridge', 'busybox', 'ip', '-o', 'link']);
    await engine.dockerOk(['network', 'disconnect', 'solo', 'on-solo']);
    await engine.dockerOk(['network', 'disconnect', 'bridge', 'on-bridge']);
    for (const name of ['on-solo', 'on-bridge']) {
      const res = await engine.docker(['start', '-a', name]);
      assert.equal(res.exitCode, 0, `${name}: ${res.stderr}`);
      const links = res.stdout.split('\n').filter(Boolean).map((l) => l.split(': ')[1]);
      assert.deepEqual(links, ['lo'], `${name}: ${res.stdout}`);
    }
    await engine.dockerOk(['rm', 'on-solo', 'on-bridge']);
    await engine.dockerOk(['network', 'rm', 'solo']);
  });

  for (const cli of ['new', 'old'] as const) {
    it(`docker start -a (${cli === 'new' ? '28.x' : '20.10'} CLI) of a created and of an exited container prints its output and exits with its code`, async () => {
      const name = `start-a-${cli}`;
      await engine.dockerOk(['create', '--name', name, 'busybox', 'sh', '-c', 'echo hello; echo oops >&2; exit 3'], { cli });
      for (const round of ['created', 'exited']) {
        const res = await engine.docker(['start', '-a', name], { cli, timeout: 60_000 });
        assert.equal(res.exitCode, 3, `${round}: ${res.stderr}`);
        assert.equal(res.stdout.trim(), 'hello', round);
        assert.equal(res.stderr.trim(), 'oops', round);
      }
      await engine.dockerOk(['rm', name]);
    });
  }
});
