// What every `boxlab lab ...` command shares: the flags, the learner's session context (progress
// store, labs root, language) and the sandbox guest for --vm/--provider (src/vm/sandbox-choice.ts
// decides which). Commands stay thin on top of it.
import { Flags } from '@oclif/core';
import { pickLang, type Lang } from '../core/lang.js';
import { labMessage } from '../labs/lab-messages.js';
import { defaultLabsRoot } from '../labs/lab-loader.js';
import type { LabSessionContext } from '../labs/lab-session.js';
import { defaultBoxlabHome, defaultLearner, ProgressStore } from '../labs/progress-store.js';
import os from 'node:os';
import path from 'node:path';
import type { Guest, GuestCommand, GuestExecOptions, GuestExecResult } from '../vm/guest.js';
import { LocalGuest } from '../vm/providers/local/local-guest.js';
import { DEFAULT_SANDBOX_VM, guestForProvider } from '../vm/sandbox-guest.js';
import { PROVIDERS } from '../vm/vm-provider.js';
import { chooseSandbox, sandboxVmName, type SandboxChoice, type SandboxRequest } from '../vm/sandbox-choice.js';
import { VmGuest } from '../vm/vm-guest.js';
import { VmService } from '../vm/vm-service.js';
import { askSandboxEngine, sandboxEngine, type SandboxEngine } from './sandbox-engine.js';
import type { EngineClient } from './engine-client.js';

export const labFlags = {
  lang: Flags.string({ description: 'language of the lab text', options: ['en', 'zh'] }),
  labs: Flags.string({ description: 'folder that holds the labs', env: 'BOXLAB_LABS' }),
};

export const providerFlag = () =>
  Flags.string({ description: 'sandbox that runs the lab scripts: local (this host, no VM boundary) or a vm (see --vm, boxlab up)', options: [...PROVIDERS], default: 'local', env: 'BOXLAB_PROVIDER' });

/** the sandbox vm for a vm provider; commands without the flag read BOXLAB_VM */
export const vmFlag = () => Flags.string({ description: 'sandbox vm for --provider qemu|multipass|ssh', default: DEFAULT_SANDBOX_VM, env: 'BOXLAB_VM' });

/**
 * --vm/--provider of the lab and tutorial commands, without defaults: what was not said is chosen by
 * chooseSandbox (the default sandbox `boxlab up` made if it exists, else this host)
 */
export const sandboxFlags = {
  vm: Flags.string({ description: 'sandbox vm to run in (its provider comes from its record); default: the vm "boxlab" made by `boxlab up` if it exists', env: 'BOXLAB_VM' }),
  provider: Flags.string({
    description: 'local: this host (no VM boundary); qemu|multipass|ssh: that provider\'s vm (--vm, default "boxlab")',
    options: [...PROVIDERS],
    env: 'BOXLAB_PROVIDER',
  }),
};

/** the sandbox for --vm/--provider: reads the vm's record and state, then decides (throws with the fix) */
export async function resolveSandbox(req: SandboxRequest, svc: VmService = new VmService(), lang: Lang = 'en'): Promise<SandboxChoice> {
  const name = sandboxVmName(req);
  return chooseSandbox(req, name === undefined ? undefined : await svc.inspect(name), lang);
}

/**
 * the Guest a lab command runs in: a vm connected on first use, or this host. On this host the command
 * says so in one line, in the student's language, just before it first runs something there (so a lab
 * name that matches nothing, or a resumed lab, prints no warning); `quiet` leaves it out for `lab check`,
 * which runs only the checks of a lab `lab start` already announced. (The chooser's fallback and
 * LocalGuest's own warning used to print two English lines on every command.)
 */
export async function sandboxGuest(req: SandboxRequest, options: { lang?: Lang; quiet?: boolean } = {}): Promise<Guest> {
  const warn = (m: string) => process.stderr.write(m + '\n');
  // the progress line of a provider goes to stderr too: a "local" vm's guest warns there is no VM boundary
  const svc = new VmService({ progress: warn });
  const choice = await resolveSandbox(req, svc, options.lang);
  if (choice.kind === 'local') return new AnnouncedLocalGuest(options.quiet ? undefined : localSandboxNotice(choice.why, options.lang ?? pickLang(undefined)), warn);
  return new VmGuest(choice.vm, choice.provider, () => svc.guest(choice.vm));
}

/** this host as the sandbox, with its notice printed once, before the first command */
class AnnouncedLocalGuest extends LocalGuest {
  constructor(
    private notice: string | undefined,
    private readonly warn: (m: string) => void,
  ) {
    super({ warn: null });
  }

  override exec(command: GuestCommand, options?: GuestExecOptions): Promise<GuestExecResult> {
    if (this.notice) this.warn(this.notice);
    this.notice = undefined;
    return super.exec(command, options);
  }
}

/** the one line a lab command prints when it runs on this host */
export function localSandboxNotice(why: 'asked' | 'no-vm', lang: Lang, uid: number | undefined = process.getuid?.()): string {
  const user = uid === 0 ? 'root' : os.userInfo().username;
  return why === 'no-vm' ? labMessage(lang, 'sandbox.no-vm', { vm: DEFAULT_SANDBOX_VM, user }) : labMessage(lang, 'sandbox.local', { user });
}

/** the sandbox of a lab command and what the session needs to know of it: on this host, the student's shell is ours */
export async function labSandbox(req: SandboxRequest, ctx: LabSessionContext, options: { quiet?: boolean } = {}): Promise<Guest> {
  const guest = await sandboxGuest(req, { lang: ctx.lang, quiet: options.quiet });
  if (guest instanceof LocalGuest) ctx.shellDockerHost = process.env.DOCKER_HOST ?? '';
  return guest;
}

/**
 * the guests of a multi-node lab's nodes: the VM of each node's name (`lab start` creates them, ADR 0016),
 * connected on first use through its own provider (its record says which) and shared by every block of that node
 */
export function nodeGuests(svc: () => VmService = () => new VmService({ progress: (m) => process.stderr.write(m + '\n') })): (node: string) => Guest {
  const guests = new Map<string, Guest>();
  let service: VmService | undefined;
  return (node) => {
    let g = guests.get(node);
    if (!g) {
      let provider = 'vm';
      g = new VmGuest(node, () => provider, async () => {
        const s = (service ??= svc());
        provider = (await s.record(node)).provider;
        return s.guest(node);
      });
      guests.set(node, g);
    }
    return g;
  };
}

export function labContext(flags: { lang?: string; labs?: string }): LabSessionContext {
  const ctx: LabSessionContext = {
    nodeGuest: nodeGuests(),
    store: new ProgressStore(path.join(defaultBoxlabHome(), 'progress.db')),
    learner: defaultLearner(),
    labsRoot: flags.labs ?? defaultLabsRoot(),
    lang: pickLang(flags.lang),
    // the bake code (a large import) is loaded only when a lab is set up: `lab check` starts without it
    images: async () => (await import('./lab-image-source.js')).bakeImageSource,
    progress: (line) => process.stderr.write(line + '\n'),
  };
  if (process.env.BOXLAB_LAB_DIR) {
    const dir = process.env.BOXLAB_LAB_DIR;
    ctx.workDir = () => dir;
  }
  return ctx;
}

export function labGuest(provider: string, vm: string = process.env.BOXLAB_VM || DEFAULT_SANDBOX_VM): Guest {
  return guestForProvider(provider, (m) => process.stderr.write(m + '\n'), vm);
}

/** one question to the engine boxlab's own commands ask (--socket, else the sandbox's), closed after */
export async function askEngine<T>(flags: SandboxRequest & { socket?: string }, ask: (client: EngineClient) => Promise<T>): Promise<T> {
  const engine = await engineForCommand(flags);
  try {
    return await askSandboxEngine(engine, engine.vm, ask);
  } finally {
    await engine.close();
  }
}

/** the engine boxlab's own commands ask: --socket, else the sandbox's (a VM's over SSH) */
export async function engineForCommand(flags: SandboxRequest & { socket?: string }): Promise<SandboxEngine & { vm?: string }> {
  if (flags.socket) return sandboxEngine({ kind: 'local', why: 'asked' }, () => Promise.reject(new Error('no vm')), flags.socket);
  const svc = new VmService({ progress: (m) => process.stderr.write(m + '\n') });
  const choice = await resolveSandbox(flags, svc);
  const engine = await sandboxEngine(choice, (vm) => svc.guest(vm));
  return choice.kind === 'vm' ? { ...engine, vm: choice.vm } : engine;
}
