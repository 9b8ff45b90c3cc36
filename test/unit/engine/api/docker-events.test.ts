import assert from 'node:assert/strict';
import { EVENT_BUFFER_SIZE, EventHub, eventMatches, eventsInWindow, matchesAction, publishContainerEvents, type DockerEvent } from '../../../../src/engine/api/docker-events.js';
import { ContainerEvents } from '../../../../src/engine/containers/container-events.js';
import { record } from '../containers/fixtures.js';

const at = (seconds: number, action: string): DockerEvent => ({
  Type: 'container',
  Action: action,
  Actor: { ID: 'c1', Attributes: {} },
  scope: 'local',
  time: Math.floor(seconds),
  timeNano: seconds * 1e9,
});

describe('docker events --since/--until (the kept past)', () => {
  it("takes dockerd's window: since <= time <= until, to the nanosecond; until 0 has no end", () => {
    const events = [at(100, 'create'), at(100.5, 'start'), at(200, 'die')];
    assert.deepEqual(eventsInWindow(events, 100.5).map((e) => e.Action), ['start', 'die']);
    assert.deepEqual(eventsInWindow(events, 0, 100.5).map((e) => e.Action), ['create', 'start']);
    assert.deepEqual(eventsInWindow(events, 100.25, 199).map((e) => e.Action), ['start']);
    assert.deepEqual(eventsInWindow(events, 201), []);
  });

  it('keeps the last 256 events, oldest first, with the names the hub learnt', () => {
    const hub = new EventHub();
    hub.publish('container', 'create', 'c0', { name: 'first' });
    for (let i = 1; i <= EVENT_BUFFER_SIZE + 9; i++) hub.publish('container', 'start', `c${i}`);
    const past = hub.past(0);
    assert.equal(past.length, EVENT_BUFFER_SIZE);
    assert.equal(past[0].Actor.ID, 'c10');
    assert.equal(past.at(-1)?.Actor.ID, `c${EVENT_BUFFER_SIZE + 9}`);
    assert.deepEqual(hub.past(Date.now() / 1000 + 60), []);
  });
});

describe('docker events from the lifecycle notifications', () => {
  it("each notification is one container event with Docker's attributes: name, image, then the action's own", () => {
    const lifecycle = new ContainerEvents();
    const hub = new EventHub();
    const unsubscribe = publishContainerEvents(hub, { subscribeEvents: (l) => lifecycle.subscribe(l) });
    const web = record({ Id: 'a'.repeat(64), Name: '/web' });
    lifecycle.notify('start', web);
    lifecycle.notify('die', web, { exitCode: '1' });
    lifecycle.notify('start', web); // a restart by restart policy is a start like any other
    unsubscribe();
    lifecycle.notify('destroy', web);
    const past = hub.past(0);
    assert.deepEqual(past.map((e) => e.Action), ['start', 'die', 'start']);
    assert.deepEqual(past[1].Actor, { ID: web.Id, Attributes: { name: 'web', image: 'busybox', exitCode: '1' } });
    assert.deepEqual([past[1].status, past[1].id, past[1].from], ['die', web.Id, 'busybox']);
  });
});

describe('docker events --filter container= (dockerd\'s fuzzyMatchName)', () => {
  const event = (ID: string, name?: string, Type: DockerEvent['Type'] = 'container'): DockerEvent => ({ Type, Action: 'x', Actor: { ID, Attributes: name ? { name } : {} }, scope: 'local', time: 0, timeNano: 0 });
  it('a prefix of the id or of the name attribute, whatever the type (dockerd showed the image tag "hcx-img:latest" for container=hcx)', () => {
    assert.equal(eventMatches(event('abc123', 'web'), { container: ['web'] }), true);
    assert.equal(eventMatches(event('abc123', 'web'), { container: ['abc'] }), true);
    assert.equal(eventMatches(event('abc123', 'web2'), { container: ['web'] }), true);
    assert.equal(eventMatches(event('sha256:93', 'hcx-img:latest', 'image'), { container: ['hcx'] }), true);
    assert.equal(eventMatches(event('abc123', 'db'), { container: ['web'] }), false);
    assert.equal(eventMatches(event('abc123'), { container: ['web'] }), false);
  });
});

describe('docker events --filter event= (dockerd\'s matching)', () => {
  const cases: Array<[string, string[], boolean]> = [
    ['die', ['die'], true],
    ['die', ['start'], false],
    ['health_status: healthy', ['health_status'], true],
    ['health_status: unhealthy', ['health_status: unhealthy'], true],
    ['health_status: healthy', ['health_status: unhealthy'], false],
    ['health_status: healthy', ['health'], false],
    ['exec_create: /bin/sh -c true', ['exec_create'], true],
    ['exec_start: /bin/sh -c true', ['exec_start'], true],
    ['exec_die', ['exec_die'], true],
    // once a prefix action is wanted, every wanted value is a prefix (dockerd's FuzzyMatch)
    ['destroy', ['health_status', 'de'], true],
    ['destroy', ['de'], false],
  ];
  for (const [action, wanted, expected] of cases) {
    it(`${action} ${expected ? 'passes' : 'does not pass'} event=${wanted.join(',')}`, () => {
      assert.equal(matchesAction(action, wanted), expected);
      assert.equal(eventMatches({ Type: 'container', Action: action, Actor: { ID: 'x', Attributes: {} }, scope: 'local', time: 0, timeNano: 0 }, { event: wanted }), expected);
    });
  }
});

describe("docker events carry the container's labels (compose reads its project from them)", () => {
  it("copies Config.Labels into every container event's attributes, and --filter label= matches them", () => {
    const lifecycle = new ContainerEvents();
    const hub = new EventHub();
    publishContainerEvents(hub, { subscribeEvents: (l) => lifecycle.subscribe(l) });
    const web = record({ Id: 'b'.repeat(64), Name: '/app_web_1', Config: { ...record({ Id: 'b'.repeat(64) }).Config, Labels: { 'com.docker.compose.project': 'app', 'com.docker.compose.service': 'web' } } });
    const other = record({ Id: 'c'.repeat(64), Name: '/lone' });
    lifecycle.notify('start', web);
    lifecycle.notify('start', other);
    const [e] = hub.past(0);
    assert.deepEqual(e.Actor.Attributes, { 'com.docker.compose.project': 'app', 'com.docker.compose.service': 'web', name: 'app_web_1', image: 'busybox' });
    const names = (filters: Record<string, string[]>) => hub.past(0).filter((x) => eventMatches(x, filters)).map((x) => x.Actor.Attributes.name);
    assert.deepEqual(names({ label: ['com.docker.compose.project=app'] }), ['app_web_1']);
    assert.deepEqual(names({ label: ['com.docker.compose.service'] }), ['app_web_1']);
    assert.deepEqual(names({ label: ['com.docker.compose.project=other'] }), []);
    // dockerd matches label= against all attributes, name and image included
    assert.deepEqual(names({ label: ['name=lone'] }), ['lone']);
  });
});
