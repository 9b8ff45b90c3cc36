// The lab page of a hosted seat (ADR 0025): `boxlab serve`'s page for the seat's sandbox, opened by the
// class server's process on its own port with the seat's own token, so a student's browser reaches that
// seat's sandbox and no other. The sandbox's shell and engine socket are reached over ssh as `serve
// --provider qemu|ssh` does; each seat has its own learner in the progress store. Here, where web/ and
// classroom/ meet, not in either.
import path from 'node:path';
import type { Lang } from '../core/lang.js';
import type { OpenSeatPage } from '../classroom/hosted/hosted-seats.js';
import type { SeatSandboxes } from '../classroom/hosted/seat-sandboxes.js';
import { defaultLabsRoot } from '../labs/lab-loader.js';
import { defaultBoxlabHome, ProgressStore } from '../labs/progress-store.js';
import { openSandbox } from '../vm/sandbox-session.js';
import { serve } from '../web/serve.js';

export interface SeatPageOptions {
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
        labs: { store, learner: `seat-${seatId}`, labsRoot: o.labsRoot ?? defaultLabsRoot(), lang: o.lang },
        ...(o.staticDir ? { staticDir: o.staticDir } : {}),
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
