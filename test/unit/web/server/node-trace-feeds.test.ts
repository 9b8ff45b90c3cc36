// The trace of a multi-node lab's nodes: each node's feed reads its own engine through a stream its guest
// opens (here a unix socket on this host standing in for the VM's /run/boxlab/docker.sock over ssh), one
// feed per node however often the page asks, and a guest that cannot open streams leaves its feed empty.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { NodeTraceFeeds } from '../../../../src/web/server/node-trace-feeds.js';
import type { Guest } from '../../../../src/vm/guest.js';

const event = (step: string, objectId: string) => JSON.stringify({ time: '2026-01-01T00:00:00.000Z', objectId, step, details: {}, text: { en: step, zh: step } });

describe('node trace feeds', () => {
  it("reads each node's engine through its guest's stream, one feed per node; a guest without streams gives an empty feed", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-node-trace-'));
    const engines = ['a', 'b'].map((node) => {
      const socket = path.join(dir, `${node}.sock`);
      const paths: string[] = [];
      const server = http.createServer((req, res) => {
        paths.push(req.url ?? '');
        res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        res.write(`${event('runc.run', `c-${node}`)}\n`);
      });
      return { node, socket, paths, server };
    });
    for (const e of engines) await new Promise<void>((r) => e.server.listen(e.socket, r));
    const opened: string[] = [];
    const guest = (node: string): Guest => {
      const g = { name: `qemu:${node}`, exec: async () => ({ exitCode: 0, stdout: '', stderr: '' }) };
      if (node === 'multipass') return g;
      return Object.assign(g, {
        openUnixStream: async (remote: string): Promise<Duplex> => {
          opened.push(`${node} ${remote}`);
          return net.connect(path.join(dir, `${node}.sock`));
        },
      });
    };
    const feeds = new NodeTraceFeeds(guest);
    try {
      const a = feeds.feed('a');
      const b = feeds.feed('b');
      assert.equal(feeds.feed('a'), a, 'the same feed when the page asks again');
      const none = feeds.feed('multipass');
      for (let i = 0; i < 200 && (a.history().length === 0 || b.history().length === 0); i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual([a, b].map((f) => f.history().map((e) => e.objectId)), [['c-a'], ['c-b']]);
      assert.deepEqual(opened.sort(), ['a /run/boxlab/docker.sock', 'b /run/boxlab/docker.sock']);
      assert.deepEqual(engines.map((e) => e.paths), [['/v1.41/boxlab/trace?follow=1'], ['/v1.41/boxlab/trace?follow=1']]);
      assert.deepEqual(none.history(), []);
    } finally {
      feeds.stop();
      for (const e of engines) e.server.closeAllConnections();
      await Promise.all(engines.map((e) => new Promise((r) => e.server.close(r))));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
