// The lab page of a hosted seat (ADR 0025): `boxlab serve`'s page for the seat's sandbox, opened by the
// class server's process on its own port with the seat's own token, so a student's browser reaches that
// seat's sandbox and no other. The sandbox's shell and engine socket are reached over ssh as `serve
// --provider qemu|ssh` does; each seat has its own learner in the progress store. Here, where web/ and
// classroom/ meet, not in either.
import path from 'node:path';
import type { Lang } from '../core/lang.js';
import type { HostedSeats, OpenSeatPage } from '../classroom/hosted/hosted-seats.js';
import type { LabBackend } from '../web/server/web-backend.js';
import { seatLabRoot, type SeatSandboxes } from '../classroom/hosted/seat-sandboxes.js';
import { defaultLabsRoot } from '../labs/lab-loader.js';
import { defaultBoxlabHome, ProgressStore } from '../labs/progress-store.js';
import { openSandbox } from '../vm/sandbox-session.js';
import { serve } from '../web/serve.js';

/** what a seat's page tells the class: its checks (not the page's background watch) and hints */
export type SeatReport = Parameters<HostedSeats['record']>[1];

export interface SeatPageOptions {
  /** records a check or hint of the seat's page for the class (HostedSeats.record) */
  report?: (seatId: string, r: SeatReport) => void;
  sandboxes: SeatSandboxes;
  /** the address the pages listen on: the class server's */
  host: string;
  lang: Lang;
  labsRoot?: string;
  /** the folder with the page's app.js (default: dist/web) */
  staticDir?: string;
}

export function seatPageOpener(o: SeatPageOptions): OpenSeatPage {
  return async ({ seatId, vm, port, token }) => {
    const session = await openSandbox(o.sandboxes.vms, { vm, provider: o.sandboxes.provider, spec: { cpus: 1, memoryMiB: 1024 } });
    const store = new ProgressStore(path.join(defaultBoxlabHome(), 'progress.db'));
    try {
      const serving = await serve({
        host: o.host,
        port,
        token,
        lang: o.lang,
        socket: session.socket,
        provider: o.sandboxes.provider,
        guest: session.guest,
        // on a host of a hosts file, the seat's labs in its own folder (wiped when the sandbox goes); a QEMU seat's vm is its own
        labs: { store, learner: `seat-${seatId}`, labsRoot: o.labsRoot ?? defaultLabsRoot(), lang: o.lang, ...(o.sandboxes.provider === 'ssh' ? { workDir: (id: string) => `${seatLabRoot(vm)}/${id}` } : {}) },
        ...(o.staticDir ? { staticDir: o.staticDir } : {}),
        ...(o.report ? { wrapLabs: (labs: LabBackend) => reportingLabs(labs, (r) => o.report!(seatId, r)) } : {}),
      });
      return {
        port: serving.port,
        async close() {
          await serving.close();
          await session.close();
          store.close();
        },
      };
    } catch (err) {
      await session.close();
      store.close();
      throw err;
    }
  };
}

/** the labs backend with the page's checks and hints reported (a Proxy: every other call goes through as it is) */
export function reportingLabs(inner: LabBackend, report: (r: SeatReport) => void): LabBackend {
  const check: LabBackend['check'] = async (labId, index, lang) => {
    const r = await inner.check(labId, index, lang);
    report({ kind: 'check', labId, stepIndex: index, passed: r.passed, checksPassed: r.checks.filter((c) => c.status === 'passed').length, checksTotal: r.checks.length });
    return r;
  };
  const hint = async (labId: string, index: number, lang: Lang) => {
    if (!inner.hint) throw new Error('this lab page has no hints');
    const r = await inner.hint(labId, index, lang);
    report({ kind: 'hint', labId, stepIndex: index, shown: r.hints.length });
    return r;
  };
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'check') return check;
      if (prop === 'hint') return inner.hint ? hint : undefined;
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
