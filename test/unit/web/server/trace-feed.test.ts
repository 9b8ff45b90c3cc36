// TraceFeed against a fake engine socket that streams newline-delimited trace events in odd chunks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { LineSplitter, parseTraceLine, TraceFeed, type FeedEvent } from '../../../../src/web/server/trace-feed.js';

const event = (step: string, objectId = 'c1') => JSON.stringify({ time: '2026-01-01T00:00:00.000Z', objectId, step, details: {}, text: { en: step, zh: step } });

describe('trace feed', () => {
  it('splits a stream into whole lines across chunks', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('{"a":'), []);
    assert.deepEqual(s.push('1}\n{"b"'), ['{"a":1}']);
    assert.deepEqual(s.push(':2}\n\n'), ['{"b":2}']);
  });

  it('links events to the lab step that teaches them and drops lines that are not events', () => {
    assert.deepEqual(parseTraceLine(event('mount.overlay'))?.lesson, { lab: '03-overlayfs', step: 'mount' });
    assert.deepEqual(parseTraceLine(event('cgroup.limits'))?.lesson, { lab: '02-cgroups', step: 'limits' });
    assert.equal(parseTraceLine(event('cleanup'))?.lesson, undefined);
    assert.equal(parseTraceLine('{"cut'), undefined);
    assert.equal(parseTraceLine('{"hello":1}'), undefined);
  });

  it('follows the engine, keeps recent events, and reconnects when the engine restarts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-web-trace-'));
    const socket = path.join(dir, 'docker.sock');
    const paths: string[] = [];
    const serve = (lines: string) =>
      http.createServer((req, res) => {
        paths.push(req.url ?? '');
        res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        const half = Math.floor(lines.length / 2);
        res.write(lines.slice(0, half));
        setTimeout(() => res.end(lines.slice(half)), 20);
      });
    let engine = serve(`${event('snapshot.prepare')}\n${event('mount.overlay')}\n`);
    await new Promise<void>((r) => engine.listen(socket, r));
    const feed = new TraceFeed(socket, 3, 50);
    const got: FeedEvent[] = [];
    feed.subscribe((e) => got.push(e));
    feed.start();
    try {
      for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(got.map((e) => e.step), ['snapshot.prepare', 'mount.overlay']);
      assert.equal(paths[0], '/v1.41/boxlab/trace?follow=1');
      await new Promise<void>((r) => engine.close(() => r()));
      engine = serve(`${event('runc.run')}\n${event('process.exit')}\n`);
      await new Promise<void>((r) => engine.listen(socket, r));
      for (let i = 0; i < 100 && got.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(got.map((e) => e.step).slice(2, 4), ['runc.run', 'process.exit']);
      assert.deepEqual(feed.history().map((e) => e.step).slice(-3), ['mount.overlay', 'runc.run', 'process.exit'], 'only the last 3 are kept');
    } finally {
      feed.stop();
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
