// The chaos test's model of what should exist: its containers (with the states each may be in), networks
// and volumes, and the random lifecycle operations it plans against them. Pure: a seeded PRNG makes the
// same choices for the same seed; what the engine answers only narrows the model where the model allowed
// several outcomes (an operation cut by an engine kill, a restart policy racing an exit).

/** mulberry32: a small, well-mixed 32-bit PRNG, so a seed replays the same run */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** the State.Status values of docker inspect (and ps's State column) */
export const CONTAINER_STATES = ['created', 'running', 'paused', 'restarting', 'exited', 'removing', 'dead'] as const;
export type ContainerState = (typeof CONTAINER_STATES)[number];

export interface ModelContainer {
  name: string;
  id?: string;
  /** maybe: its create was cut by an engine kill; the next check finds out */
  exists: 'yes' | 'maybe';
  /** the states it may be in now */
  states: Set<ContainerState>;
  restartPolicy: 'no' | 'always' | 'unless-stopped' | 'on-failure:2';
  networks: string[];
  volumes: string[];
}

export interface ModelObject {
  name: string;
  id?: string;
  exists: 'yes' | 'maybe';
}

/** an operation, its docker arguments, what the model expects, and how the model follows the outcome */
export interface PlannedOp {
  label: string;
  args: string[];
  expect: 'ok' | 'fail' | 'either';
  /** the model after the docker CLI answered (ok: exit 0); stdout carries a new object's id */
  apply(ok: boolean, stdout: string): void;
  /** the model after an engine kill cut the operation: whatever it touches becomes uncertain */
  interrupted(): void;
}

const OPS = [
  ['run', 14],
  ['create', 6],
  ['start', 9],
  ['stop', 8],
  ['kill', 5],
  ['restart', 4],
  ['pause', 5],
  ['unpause', 4],
  ['exec', 8],
  ['rm', 8],
  ['network-create', 3],
  ['network-connect', 5],
  ['network-disconnect', 3],
  ['network-rm', 3],
  ['volume-create', 3],
  ['volume-rm', 3],
] as const;
type OpKind = (typeof OPS)[number][0];

/** PID 1 ignores SIGTERM unless it traps it: the trap makes `docker stop` quick (and exit 0) */
export const CONTAINER_COMMAND = ['sh', '-c', 'trap "exit 0" TERM; sleep 100000 & wait'];
/** what a container cut by a kill may be in; never removing or dead: a restarted engine finishes or undoes that */
const ANY_STATE = new Set<ContainerState>(['created', 'running', 'paused', 'restarting', 'exited']);
const MAX_CONTAINERS = 10;

export class ChaosModel {
  readonly containers: ModelContainer[] = [];
  readonly networks: ModelObject[] = [];
  readonly volumes: ModelObject[] = [];
  private counters = { c: 0, n: 0, v: 0 };

  constructor(private readonly random: SeededRandom) {}

  /** after an engine restart, a container with a restart policy may have been started again */
  engineRestarted(): void {
    for (const c of this.containers) if (c.restartPolicy === 'always' && !c.states.has('created')) this.mayRestart(c);
  }

  plan(): PlannedOp {
    const kind = this.chooseKind();
    switch (kind) {
      case 'run':
      case 'create':
        return this.planCreate(kind);
      case 'network-create':
        return this.planNetworkCreate();
      case 'network-connect':
        return this.planConnect();
      case 'network-disconnect':
        return this.planDisconnect();
      case 'network-rm':
        return this.planNetworkRm();
      case 'volume-create':
        return this.planVolumeCreate();
      case 'volume-rm':
        return this.planVolumeRm();
      default:
        return this.planLifecycle(kind, this.random.pick(this.containers));
    }
  }

  private chooseKind(): OpKind {
    const total = OPS.reduce((sum, [, w]) => sum + w, 0);
    let r = this.random.int(total);
    let kind: OpKind = 'run';
    for (const [k, w] of OPS) {
      if (r < w) {
        kind = k;
        break;
      }
      r -= w;
    }
    const needsContainer = !['run', 'create', 'network-create', 'network-rm', 'volume-create', 'volume-rm'].includes(kind);
    if (needsContainer && this.containers.length === 0) return 'run';
    if ((kind === 'run' || kind === 'create') && this.containers.length >= MAX_CONTAINERS) return 'rm';
    return kind;
  }

  private planCreate(kind: 'run' | 'create'): PlannedOp {
    const name = `c${++this.counters.c}`;
    const args = kind === 'run' ? ['run', '-d', '--name', name] : ['create', '--name', name];
    const userNetworks = this.networks.filter((n) => n.exists === 'yes');
    const network = userNetworks.length > 0 && this.random.chance(0.35) ? this.random.pick(userNetworks).name : 'bridge';
    if (network !== 'bridge') args.push('--network', network);
    if (this.random.chance(0.25)) args.push('-p', '80');
    if (this.random.chance(0.25)) args.push('-m', '48m');
    const restartPolicy = this.random.chance(0.25) ? this.random.pick(['always', 'unless-stopped', 'on-failure:2'] as const) : 'no';
    if (restartPolicy !== 'no') args.push('--restart', restartPolicy);
    const volumes: string[] = [];
    if (this.random.chance(0.3)) {
      const known = this.volumes.filter((v) => v.exists === 'yes');
      const volume = known.length > 0 && this.random.chance(0.6) ? this.random.pick(known).name : `v${++this.counters.v}`;
      args.push('-v', `${volume}:/data`);
      volumes.push(volume);
    }
    args.push('busybox', ...CONTAINER_COMMAND);
    const container: ModelContainer = { name, exists: 'yes', states: new Set([kind === 'run' ? 'running' : 'created']), restartPolicy, networks: [network], volumes };
    const addVolumes = (exists: 'yes' | 'maybe') => {
      for (const v of volumes) if (!this.volumes.some((o) => o.name === v)) this.volumes.push({ name: v, exists });
    };
    return {
      label: `${kind} ${name}`,
      args,
      expect: 'ok',
      apply: (ok, stdout) => {
        if (!ok) return;
        container.id = stdout.trim().split('\n').at(-1);
        this.containers.push(container);
        addVolumes('yes');
      },
      interrupted: () => {
        this.containers.push({ ...container, exists: 'maybe', states: new Set(ANY_STATE) });
        addVolumes('maybe');
      },
    };
  }

  private planLifecycle(kind: OpKind, c: ModelContainer): PlannedOp {
    const s = c.states;
    const only = (...states: ContainerState[]) => [...s].every((x) => states.includes(x));
    const none = (...states: ContainerState[]) => ![...s].some((x) => states.includes(x));
    // a restarting container is running a moment later, and Docker leaves some answers for paused ones
    // to the runtime (kill, restart): with those, either answer is fine
    const expectWhen = (okStates: ContainerState[], unsure: ContainerState[] = []): PlannedOp['expect'] =>
      !none('restarting', ...unsure) ? 'either' : only(...okStates) ? 'ok' : none(...okStates) ? 'fail' : 'either';
    const set = (...states: ContainerState[]) => (c.states = new Set(states));
    const base = { interrupted: () => (c.states = new Set(ANY_STATE)) };
    const exists = c.exists === 'yes';
    const name = c.name;
    switch (kind) {
      case 'start':
        // start of a running container is a no-op (304); of a paused one, an error (unpause it)
        return { ...base, label: `start ${name}`, args: ['start', name], expect: exists ? expectWhen(['created', 'exited', 'running']) : 'either', apply: (ok) => ok && set('running') };
      case 'stop':
        return {
          ...base,
          label: `stop ${name}`,
          args: ['stop', '-t', '1', name],
          expect: exists ? 'ok' : 'either',
          apply: (ok) => ok && (only('created') ? set('created') : c.states.has('created') ? set('created', 'exited') : set('exited')),
        };
      case 'kill':
        return {
          ...base,
          label: `kill ${name}`,
          args: ['kill', name],
          expect: exists ? expectWhen(['running'], ['paused']) : 'either',
          apply: (ok) => {
            if (!ok) return;
            set('exited');
            this.mayRestart(c);
          },
        };
      case 'restart':
        return { ...base, label: `restart ${name}`, args: ['restart', '-t', '1', name], expect: exists ? expectWhen(['created', 'exited', 'running'], ['paused']) : 'either', apply: (ok) => ok && set('running') };
      case 'pause':
        return { ...base, label: `pause ${name}`, args: ['pause', name], expect: exists ? expectWhen(['running']) : 'either', apply: (ok) => ok && set('paused') };
      case 'unpause':
        return { ...base, label: `unpause ${name}`, args: ['unpause', name], expect: exists ? expectWhen(['paused']) : 'either', apply: (ok) => ok && set('running') };
      case 'exec':
        return { ...base, interrupted: () => undefined, label: `exec ${name}`, args: ['exec', name, 'true'], expect: exists ? expectWhen(['running']) : 'either', apply: () => undefined };
      default:
        return {
          label: `rm -f ${name}`,
          args: ['rm', '-f', name],
          expect: exists ? 'ok' : 'either',
          apply: () => this.containers.splice(this.containers.indexOf(c), 1),
          interrupted: () => {
            c.exists = 'maybe';
            c.states = new Set(ANY_STATE);
          },
        };
    }
  }

  /** a killed container with a restart policy may come back (or be on its way) */
  private mayRestart(c: ModelContainer): void {
    if (c.restartPolicy !== 'no') for (const s of ['running', 'restarting', 'exited'] as const) c.states.add(s);
  }

  private planNetworkCreate(): PlannedOp {
    const name = `n${++this.counters.n}`;
    return {
      label: `network create ${name}`,
      args: ['network', 'create', name],
      expect: 'ok',
      apply: (ok, stdout) => ok && this.networks.push({ name, id: stdout.trim(), exists: 'yes' }),
      interrupted: () => this.networks.push({ name, exists: 'maybe' }),
    };
  }

  private planConnect(): PlannedOp {
    const c = this.random.pick(this.containers);
    const candidates = this.networks.filter((n) => !c.networks.includes(n.name));
    if (candidates.length === 0) return this.planNetworkCreate();
    const n = this.random.pick(candidates);
    const certain = c.exists === 'yes' && n.exists === 'yes' && !c.states.has('paused') && !c.states.has('restarting');
    return {
      label: `network connect ${n.name} ${c.name}`,
      args: ['network', 'connect', n.name, c.name],
      expect: certain ? 'ok' : 'either',
      apply: (ok) => ok && c.networks.push(n.name),
      // the container may or may not be on it: one on a network is not disconnected or removed by the plan
      interrupted: () => c.networks.push(n.name),
    };
  }

  /** only from a container on two networks or more (one left with none is issue 12's finding 12) */
  private planDisconnect(): PlannedOp {
    const candidates = this.containers.filter((c) => c.networks.length >= 2);
    if (candidates.length === 0) return this.planConnect();
    const c = this.random.pick(candidates);
    const n = this.random.pick(c.networks);
    const certain = c.exists === 'yes' && !c.states.has('paused') && !c.states.has('restarting');
    return {
      label: `network disconnect ${n} ${c.name}`,
      args: ['network', 'disconnect', n, c.name],
      expect: certain ? 'ok' : 'either',
      apply: (ok) => ok && c.networks.splice(c.networks.indexOf(n), 1),
      interrupted: () => undefined,
    };
  }

  private planNetworkRm(): PlannedOp {
    const unused = this.networks.filter((n) => !this.containers.some((c) => c.networks.includes(n.name)));
    if (unused.length === 0) return this.planNetworkCreate();
    const n = this.random.pick(unused);
    return {
      label: `network rm ${n.name}`,
      args: ['network', 'rm', n.name],
      expect: n.exists === 'yes' ? 'ok' : 'either',
      apply: () => this.networks.splice(this.networks.indexOf(n), 1),
      interrupted: () => (n.exists = 'maybe'),
    };
  }

  private planVolumeCreate(): PlannedOp {
    const name = `v${++this.counters.v}`;
    return {
      label: `volume create ${name}`,
      args: ['volume', 'create', name],
      expect: 'ok',
      apply: (ok) => ok && this.volumes.push({ name, exists: 'yes' }),
      interrupted: () => this.volumes.push({ name, exists: 'maybe' }),
    };
  }

  /** a volume in use by a container (running or not) cannot be removed, as in Docker */
  private planVolumeRm(): PlannedOp {
    if (this.volumes.length === 0) return this.planVolumeCreate();
    const v = this.random.pick(this.volumes);
    const users = this.containers.filter((c) => c.volumes.includes(v.name));
    const expect = v.exists === 'yes' && users.some((c) => c.exists === 'yes') ? 'fail' : v.exists === 'yes' && users.length === 0 ? 'ok' : 'either';
    return {
      label: `volume rm ${v.name}`,
      args: ['volume', 'rm', v.name],
      expect,
      apply: (ok) => ok && this.volumes.splice(this.volumes.indexOf(v), 1),
      interrupted: () => (v.exists = 'maybe'),
    };
  }
}
