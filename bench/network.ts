// Network benchmark (issue 3): the cost of networking on a container start (`docker run --rm` on the
// default bridge vs --network none; goal: under 50 ms more), and the time from `docker run -d -p` to the
// first successful HTTP answer through the published port on 127.0.0.1.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { median, timeCommand, type Sample } from './measure.js';

export interface NetworkBenchOptions {
  /** environment for the docker CLI, e.g. the EngineHarness's env */
  env: Record<string, string>;
  label: string;
  docker?: string;
  runs?: number;
  /** an image with sh and httpd (busybox) */
  image?: string;
}

export interface NetworkBenchResult {
  bridge: Sample;
  none: Sample;
  /** the median extra cost of the bridge network per start */
  overheadMs: number;
  publishToFirstResponse: Sample;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function get(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 500 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

export async function benchNetwork(options: NetworkBenchOptions): Promise<NetworkBenchResult> {
  const docker = options.docker ?? 'docker';
  const runs = options.runs ?? 15;
  const image = options.image ?? 'busybox';
  const env = { ...process.env, ...options.env };
  const bridge = timeCommand(`docker run --rm (default bridge), ${options.label}`, docker, ['run', '--rm', image, 'true'], { runs, env });
  const none = timeCommand(`docker run --rm --network none, ${options.label}`, docker, ['run', '--rm', '--network', 'none', image, 'true'], { runs, env });

  const times: number[] = [];
  for (let i = 0; i < Math.max(3, Math.ceil(runs / 3)); i++) {
    const port = await freePort();
    const name = `bench-net-${process.pid}-${i}`;
    const t0 = process.hrtime.bigint();
    const r = spawnSync(docker, ['run', '-d', '--name', name, '-p', `${port}:80`, image, 'sh', '-c', 'mkdir -p /w && echo ok > /w/index.html && exec httpd -f -p 80 -h /w'], { env });
    if (r.status !== 0) throw new Error(`docker run -d -p failed: ${r.stderr.toString()}`);
    const deadline = Date.now() + 10_000;
    while (!(await get(port))) {
      if (Date.now() > deadline) throw new Error(`no answer on 127.0.0.1:${port} within 10 s`);
      await new Promise((res) => setTimeout(res, 2));
    }
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    spawnSync(docker, ['rm', '-f', name], { env });
  }
  const publishToFirstResponse: Sample = {
    label: `docker run -d -p, to the first curl 127.0.0.1 answer, ${options.label}`,
    runs: times.length,
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
  };
  return { bridge, none, overheadMs: bridge.medianMs - none.medianMs, publishToFirstResponse };
}
