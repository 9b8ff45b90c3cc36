// The shim's ack fifo (docs/adr/0001): once the shim has written the exit file it waits for a line here
// before it lets go of the output fifos, so output still in the pipes' buffers reaches an engine. The
// engine writes that line when it has seen the exit file (container-process.ts), and before a removal or
// at recovery, so no shim waits for ever on a fifo whose folder is gone. The one place that writes it.
import { closeSync, constants, openSync, writeSync } from 'node:fs';

/** a line on the ack fifo lets a waiting shim exit; without a shim reading it, nothing happens */
export function ackShim(ackFifo: string): void {
  try {
    // O_NONBLOCK: the open fails (ENXIO) instead of waiting when no shim has the fifo open
    const fd = openSync(ackFifo, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      writeSync(fd, 'ok\n');
    } finally {
      closeSync(fd);
    }
  } catch {
    // ENXIO: no shim reads the fifo (gone already); ENOENT: the folder is gone
  }
}
