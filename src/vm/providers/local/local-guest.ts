// LocalGuest: a Guest that is this very host. For CI and development only: there is NO VM boundary,
// a lab's scripts run as the current user (root in CI) on the real machine. Every construction warns
// loudly unless the caller has already told the user.
import { spawn } from 'node:child_process';
import { AppError } from '../../../core/errors.js';
import { VmService } from '../../vm-service.js';
import { VmGuest } from '../../vm-guest.js';
import { guestArgv, GUEST_TIMEOUT_EXIT_CODE, type Guest, type GuestCommand, type GuestExecOptions, type GuestExecResult } from '../../guest.js';

export const LOCAL_GUEST_WARNING =
  'warning: provider "local" runs lab scripts directly on this host as ' +
  `${process.getuid?.() === 0 ? 'root' : 'the current user'}; there is no VM boundary. Use it for development and CI only.`;

export interface LocalGuestOptions {
  /** where the warning goes; pass null when the caller prints it itself */
  warn?: ((message: string) => void) | null;
}

export class LocalGuest implements Guest {
  readonly name = 'local';

  constructor(options: LocalGuestOptions = {}) {
    const warn = options.warn === undefined ? (m: string) => process.stderr.write(m + '\n') : options.warn;
    warn?.(LOCAL_GUEST_WARNING);
  }

  exec(command: GuestCommand, options: GuestExecOptions = {}): Promise<GuestExecResult> {
    const [file, ...args] = guestArgv(command);
    return new Promise((resolve, reject) => {
      // detached: the command gets its own process group, so a timeout kills the whole tree (a check's
      // `sleep` included), as a VM provider's timeout would
      const child = spawn(file, args, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              try {
                process.kill(-child.pid!, 'SIGKILL');
              } catch {
                /* already gone */
              }
            }, options.timeoutMs);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        if (timer) clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        const exitCode = timedOut ? GUEST_TIMEOUT_EXIT_CODE : (code ?? (signal ? 128 + signalNumber(signal) : 1));
        resolve({ exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return table[signal] ?? 0;
}

export const GUEST_PROVIDERS = ['local', 'qemu', 'multipass', 'ssh'] as const;

/** the vm a VM-backed --provider uses when none is named: the one `boxlab up` creates */
export const DEFAULT_SANDBOX_VM = 'boxlab';

/**
 * the guest for a --provider flag: this host for `local`, else the sandbox vm `vm` (default "boxlab"),
 * connected on first use. The vm must exist and run (`boxlab up`); its errors say so when first used.
 */
export function guestForProvider(provider: string, warn?: ((message: string) => void) | null, vm: string = DEFAULT_SANDBOX_VM): Guest {
  if (provider === 'local') return new LocalGuest({ warn });
  if (!(GUEST_PROVIDERS as readonly string[]).includes(provider)) {
    throw new AppError('INVALID_ARGUMENT', `unknown provider "${provider}"`, { suggestions: [`use one of: ${GUEST_PROVIDERS.join(', ')}`] });
  }
  return new VmGuest(vm, provider, () => connectVm(vm, provider));
}

async function connectVm(vm: string, provider: string): Promise<Guest> {
  const svc = new VmService();
  const record = await svc.records.get(vm);
  if (!record) {
    throw new AppError('FAILED_PRECONDITION', `sandbox vm "${vm}" does not exist`, {
      suggestions: [vm === DEFAULT_SANDBOX_VM ? `create it: boxlab up --provider ${provider}` : `create it: boxlab vm create ${vm} --provider ${provider}`, 'or use --provider local (this host, no VM boundary)'],
    });
  }
  if (record.provider !== provider) {
    throw new AppError('FAILED_PRECONDITION', `sandbox vm "${vm}" runs on ${record.provider}, not ${provider}`, {
      suggestions: [`use --provider ${record.provider}`, 'or name another vm with --vm'],
    });
  }
  return svc.guest(vm);
}
