// One boxlabd for a mocha describe(): the hooks every docker-CLI integration file used to write by hand.
// useEngine() registers them where it is called (mocha runs a suite's hooks in the order they were
// registered, so a file's own before() after it sees a running engine with busybox loaded):
//   before     requires() what the engine and the suite need (skip outside CI, fail in CI), start
//              boxlabd in a temp root, `docker load` busybox
//   afterEach  optionally `docker rm -f -v` every container (and `docker network rm` every user network),
//              so that one failing test does not leave its containers to the next
//   after      EngineHarness.stop(): remove what is left, stop the engine, fail on leaked mounts or runc
//              state
// It returns the harness at once; the engine behind it runs from the before hook on.
import { EngineHarness, type EngineHarnessOptions } from './engine-harness.js';
import { requires, type Requirement } from './requires.js';

/** what boxlabd itself needs to run containers for the docker CLI */
const ENGINE_NEEDS: readonly Requirement[] = ['root', 'runc', 'overlayfs', 'docker-cli'];

export interface EngineSuiteOptions {
  /** what the suite needs besides the engine's own needs (and busybox, when it is loaded) */
  needs?: Requirement[];
  /** `docker load` the busybox image once the engine is up (default true) */
  busybox?: boolean;
  /** what to remove after each test; nothing when absent (tests that build on what the previous one made) */
  removeAfterEach?: 'containers' | 'containers and networks';
  /**
   * runs in the before hook once requires() passed, before the engine starts, and returns the engine's
   * options: e.g. writes fake tools and puts them first on its PATH, mounts a small tmpfs for its root,
   * starts a registry it is to use as a mirror
   */
  prepare?: () => EngineHarnessOptions | Promise<EngineHarnessOptions>;
}

export function useEngine(options: EngineSuiteOptions = {}): EngineHarness {
  const busybox = options.busybox ?? true;
  const engine = new EngineHarness();

  before(async function () {
    requires(this, ...new Set([...ENGINE_NEEDS, ...(busybox ? (['busybox'] as const) : []), ...(options.needs ?? [])]));
    this.timeout(Math.max(this.timeout(), 120_000)); // a first busybox bake is slow on a busy host
    await engine.open((await options.prepare?.()) ?? {});
    if (busybox) await engine.loadBusybox();
  });
  if (options.removeAfterEach) {
    const networks = options.removeAfterEach === 'containers and networks';
    afterEach(async () => {
      if (!engine.isOpen) return;
      await engine.removeAllContainers();
      if (networks) await engine.removeUserNetworks();
    });
  }
  after(async function () {
    this.timeout(Math.max(this.timeout(), 90_000)); // removes every container, stops the engine, checks for leaks
    await engine.stop();
  });
  return engine;
}
