// What every `boxlab lab ...` command shares: the flags, the learner's session context (progress
// store, labs root, language) and the sandbox guest for --vm/--provider (src/vm/sandbox-choice.ts
// decides which). Commands stay thin on top of it.
import { Flags } from '@oclif/core';
import { pickLang } from '../core/lang.js';
import { defaultLabsRoot } from '../labs/lab-loader.js';
import type { LabSessionContext } from '../labs/lab-session.js';
import { defaultBoxlabHome, defaultLearner, ProgressStore } from '../labs/progress-store.js';
import path from 'node:path';
import type { Guest } from '../vm/guest.js';
import { LocalGuest } from '../vm/providers/local/local-guest.js';
import { DEFAULT_SANDBOX_VM, guestForProvider } from '../vm/sandbox-guest.js';
import { PROVIDERS } from '../vm/vm-provider.js';
import { chooseSandbox, sandboxVmName, type SandboxChoice, type SandboxRequest } from '../vm/sandbox-choice.js';
import { VmGuest } from '../vm/vm-guest.js';
import { VmService } from '../vm/vm-service.js';

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
export async function resolveSandbox(req: SandboxRequest, svc: VmService = new VmService()): Promise<SandboxChoice> {
  const name = sandboxVmName(req);
  return chooseSandbox(req, name === undefined ? undefined : await svc.inspect(name));
}

/** the Guest a lab command runs in: a vm connected on first use, or this host with the loud warning */
export async function sandboxGuest(req: SandboxRequest): Promise<Guest> {
  const warn = (m: string) => process.stderr.write(m + '\n');
  // the progress line of a provider goes to stderr too: a "local" vm's guest warns there is no VM boundary
  const svc = new VmService({ progress: warn });
  const choice = await resolveSandbox(req, svc);
  if (choice.kind === 'local') {
    if (choice.why === 'no-vm') warn(`no sandbox vm "${DEFAULT_SANDBOX_VM}" (create it with: boxlab up), so the lab runs on this host`);
    return new LocalGuest({ warn });
  }
  return new VmGuest(choice.vm, choice.provider, () => svc.guest(choice.vm));
}

export function labContext(flags: { lang?: string; labs?: string }): LabSessionContext {
  const ctx: LabSessionContext = {
    store: new ProgressStore(path.join(defaultBoxlabHome(), 'progress.db')),
    learner: defaultLearner(),
    labsRoot: flags.labs ?? defaultLabsRoot(),
    lang: pickLang(flags.lang),
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
