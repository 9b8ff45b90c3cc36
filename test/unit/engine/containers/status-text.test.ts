import assert from 'node:assert/strict';
import { ZERO_TIME, type ContainerStateRecord } from '../../../../src/engine/containers/container-record.js';
import { humanDuration, statusText } from '../../../../src/engine/containers/status-text.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const state = (s: Partial<ContainerStateRecord>): ContainerStateRecord => ({
  Status: 'created', Pid: 0, ExitCode: 0, Error: '', OOMKilled: false, StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME, ...s,
});

describe('docker ps Status column', () => {
  it('words durations as go-units HumanDuration', () => {
    assert.equal(humanDuration(500), 'Less than a second');
    assert.equal(humanDuration(1000), '1 second');
    assert.equal(humanDuration(3000), '3 seconds');
    assert.equal(humanDuration(61_000), 'About a minute');
    assert.equal(humanDuration(2 * 60_000), '2 minutes');
    assert.equal(humanDuration(3_600_000), 'About an hour');
    assert.equal(humanDuration(5 * 3_600_000), '5 hours');
    assert.equal(humanDuration(3 * 86_400_000), '3 days');
    assert.equal(humanDuration(20 * 86_400_000), '2 weeks');
    assert.equal(humanDuration(90 * 86_400_000), '3 months');
    assert.equal(humanDuration(800 * 86_400_000), '2 years');
  });

  it('shows Up, Exited, Created, Paused and Restarting as Docker does', () => {
    assert.equal(statusText(state({ Status: 'running', StartedAt: ago(3000) }), NOW), 'Up 3 seconds');
    assert.equal(statusText(state({ Status: 'exited', ExitCode: 137, StartedAt: ago(300_000), FinishedAt: ago(120_000) }), NOW), 'Exited (137) 2 minutes ago');
    assert.equal(statusText(state({ Status: 'exited', ExitCode: 0, StartedAt: ago(9000), FinishedAt: ago(5000) }), NOW), 'Exited (0) 5 seconds ago');
    assert.equal(statusText(state({}), NOW), 'Created');
    assert.equal(statusText(state({ Status: 'paused', StartedAt: ago(61_000) }), NOW), 'Up About a minute (Paused)');
    assert.equal(statusText(state({ Status: 'restarting', ExitCode: 1, StartedAt: ago(2000), FinishedAt: ago(1000) }), NOW), 'Restarting (1) 1 second ago');
    assert.equal(statusText(state({ Status: 'removing' }), NOW), 'Removal In Progress');
  });
});

describe('docker ps Status column with a HEALTHCHECK', () => {
  it('adds the health to Up as dockerd 20.10 does, and nothing once stopped', () => {
    const health = (Status: 'starting' | 'healthy' | 'unhealthy') => ({ Status, FailingStreak: 0, Log: [] });
    assert.equal(statusText(state({ Status: 'running', StartedAt: ago(500), Health: health('starting') }), NOW), 'Up Less than a second (health: starting)');
    assert.equal(statusText(state({ Status: 'running', StartedAt: ago(3000), Health: health('healthy') }), NOW), 'Up 3 seconds (healthy)');
    assert.equal(statusText(state({ Status: 'running', StartedAt: ago(3000), Health: health('unhealthy') }), NOW), 'Up 3 seconds (unhealthy)');
    assert.equal(statusText(state({ Status: 'paused', StartedAt: ago(10_000), Health: health('unhealthy') }), NOW), 'Up 10 seconds (Paused)');
    assert.equal(statusText(state({ Status: 'exited', ExitCode: 137, StartedAt: ago(9000), FinishedAt: ago(500), Health: health('unhealthy') }), NOW), 'Exited (137) Less than a second ago');
  });
});
