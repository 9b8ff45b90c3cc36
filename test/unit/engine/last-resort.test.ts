import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { EXIT_SOFTWARE, installLastResort } from '../../../src/engine/last-resort.js';
import type { Logger } from '../../../src/core/logger.js';

/** a process double: events, and the exit codes asked for */
class FakeProcess extends EventEmitter {
  exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

describe('installLastResort (what the engine does with a failure no request caught)', () => {
  const lines: string[] = [];
  const log: Logger = { debug() {}, info() {}, warn() {}, error: (m) => void lines.push(m) };
  beforeEach(() => (lines.length = 0));

  it('logs an unhandled rejection with its stack and keeps the engine running', () => {
    const proc = new FakeProcess();
    installLastResort(log, proc as unknown as NodeJS.Process);
    proc.emit('unhandledRejection', new Error('lost background task'));
    assert.deepEqual(proc.exits, []);
    assert.match(lines[0], /nobody handled it .*keeps serving.*lost background task/s);
    assert.match(lines[0], /at /); // the stack
  });
  it('logs an uncaught exception and exits 70 (EX_SOFTWARE)', () => {
    const proc = new FakeProcess();
    installLastResort(log, proc as unknown as NodeJS.Process);
    proc.emit('uncaughtException', new Error('unheard error event'));
    assert.deepEqual(proc.exits, [EXIT_SOFTWARE]);
    assert.match(lines[0], /uncaught exception .*unheard error event/s);
  });
  it('removes its handlers', () => {
    const proc = new FakeProcess();
    installLastResort(log, proc as unknown as NodeJS.Process)();
    assert.equal(proc.listenerCount('unhandledRejection') + proc.listenerCount('uncaughtException'), 0);
  });
});
