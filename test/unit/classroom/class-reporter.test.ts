// What a joined student's boxlab reports, and the outbox that keeps reports the server could not take.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkReportOf, deliverReport, deliveryLines, hintReportOf } from '../../../src/classroom/class-reporter.js';
import { readOutbox, writeMembership, writeOutbox } from '../../../src/classroom/class-membership.js';
import type { CheckOutcome } from '../../../src/labs/lab-session.js';

const outcome = (over: Partial<CheckOutcome> = {}): CheckOutcome =>
  ({
    labId: 'l1',
    step: { index: 1, count: 3, id: 'b', title: 'B', text: '' },
    result: { stepId: 'b', passed: false, durationMs: 5, checks: [{ name: 'x', status: 'passed', message: '' }, { name: 'y', status: 'failed', message: '' }, { name: 'z', status: 'skipped', message: '' }] },
    progress: { learner: 'a', labId: 'l1', currentStep: 1, startedAt: '', updatedAt: '', passed: {} },
    finished: false,
    alreadyFinished: false,
    recheck: false,
    ...over,
  }) as CheckOutcome;

describe('class reporter', () => {
  const at = new Date('2026-12-06T09:00:00Z');

  it('reports the step, its result and how many checks passed; a re-check is not reported', () => {
    assert.deepEqual(checkReportOf(outcome(), at, 'r1'), { kind: 'check', id: 'r1', labId: 'l1', stepIndex: 1, stepId: 'b', stepCount: 3, passed: false, checksPassed: 1, checksTotal: 3, at: at.toISOString() });
    assert.equal(checkReportOf(outcome({ alreadyFinished: true }), at), undefined);
    assert.equal(checkReportOf(outcome({ recheck: true }), at), undefined);
  });

  it('reports the highest hint seen, nothing for a step without hints', () => {
    assert.deepEqual(hintReportOf({ labId: 'l1', step: { index: 0, id: 'a' }, number: 2, count: 3 }, at, 'h'), { kind: 'hint', id: 'h', labId: 'l1', stepIndex: 0, stepId: 'a', shown: 2, at: at.toISOString() });
    assert.equal(hintReportOf({ labId: 'l1', step: { index: 0, id: 'a' }, number: 0, count: 0 }, at), undefined);
  });

  describe('delivery', () => {
    let home: string;
    let server: http.Server;
    let got: unknown[];
    let answer: number;
    beforeEach(async () => {
      home = mkdtempSync(path.join(os.tmpdir(), 'boxlab-class-reporter-'));
      got = [];
      answer = 201;
      server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          if (answer === 201) got.push({ auth: req.headers.authorization, ...(JSON.parse(body) as object) });
          res.writeHead(answer, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'class "c" is closed', message_zh: '课堂已结束' }));
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      rmSync(home, { recursive: true, force: true });
    });
    const join = (url: string) => writeMembership({ url, className: 'c', labs: ['l1'], seatId: 's1', name: 'Ana', token: 'SEAT', joinedAt: '' }, home);
    const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    it('does nothing in no class', async () => {
      assert.equal(await deliverReport(checkReportOf(outcome(), at), 'en', home), undefined);
    });

    it('keeps reports while the server is away and sends them in order when it answers', async () => {
      await join('http://127.0.0.1:1');
      const first = await deliverReport(checkReportOf(outcome(), at, 'r1'), 'en', home);
      assert.equal(first?.pending, 1);
      assert.match(deliveryLines(first, 'en')[0], /1 report\(s\) not delivered to class c yet .*kept, sent with your next lab check/);
      assert.match(deliveryLines(first, 'zh')[0], /还有 1 条结果没有送到课堂 c/);
      await join(url());
      // the server came back at another address (a new membership starts an empty outbox): the kept report goes first
      await writeOutbox([checkReportOf(outcome(), at, 'r1')!], home);
      const second = await deliverReport(hintReportOf({ labId: 'l1', step: { index: 1, id: 'b' }, number: 1, count: 2 }, at, 'h1'), 'en', home);
      assert.deepEqual(second, { className: 'c', sent: 2, pending: 0, refused: [] });
      assert.deepEqual(got.map((g) => (g as { id: string; auth: string }).id + ' ' + (g as { auth: string }).auth), ['r1 Bearer SEAT', 'h1 Bearer SEAT']);
      assert.deepEqual(await readOutbox(home), []);
    });

    it('drops a report the server refused and says why in the student\'s language', async () => {
      await join(url());
      answer = 410;
      const d = await deliverReport(checkReportOf(outcome(), at), 'zh', home);
      assert.deepEqual(d, { className: 'c', sent: 0, pending: 0, refused: ['课堂已结束'] });
      assert.deepEqual(deliveryLines(d, 'zh'), ['课堂 c 没有接收这条结果：课堂已结束']);
    });
  });
});
