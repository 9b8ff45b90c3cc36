// `class create --hosted qemu|hosts:<file> --pool N`: where a class's hosted seats run and how many are
// kept warm, checked and kept with the class (hosted-store.ts). The hosts file is read once, here, so a
// later edit of it takes effect with a new class, never half-way through one.
import { promises as fs } from 'node:fs';
import { invalidArgument, notFound } from '../../core/errors.js';
import { parseHostsFile, type SeatHost } from './hosts-file.js';
import type { HostedPool } from './hosted-store.js';

/** a QEMU seat's memory unless told: a TCG guest with boxlabd and a lab's few containers fits */
export const DEFAULT_SEAT_MEMORY_MIB = 1024;
/** the least a QEMU seat boots in: the image's root filesystem is an uncompressed initramfs unpacked into memory (512 MiB panics) */
export const MIN_SEAT_MEMORY_MIB = 768;

export async function hostedPoolOf(className: string, hosted: string, size: number, seats: number, memoryMiB = DEFAULT_SEAT_MEMORY_MIB): Promise<HostedPool> {
  let hosts: SeatHost[] = [];
  let kind: HostedPool['kind'];
  if (hosted === 'qemu') kind = 'qemu';
  else if (hosted.startsWith('hosts:') && hosted.length > 6) {
    kind = 'hosts';
    const file = hosted.slice(6);
    const text = await fs.readFile(file, 'utf8').catch((err: unknown) => {
      throw notFound(`hosts file "${file}" cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { suggestions: ['one host a line: root@10.0.0.5:22 identity=~/.ssh/id_ed25519 slots=4'] });
    });
    hosts = parseHostsFile(text, file);
  } else {
    throw invalidArgument(`--hosted ${hosted}: expected qemu (vms on this machine) or hosts:<file> (Linux hosts over ssh)`, { suggestions: ['--hosted qemu --pool 3', '--hosted hosts:class-hosts.txt --pool 10'] });
  }
  if (kind === 'qemu' && memoryMiB < MIN_SEAT_MEMORY_MIB) throw invalidArgument(`--memory ${memoryMiB}: a seat's vm needs at least ${MIN_SEAT_MEMORY_MIB} MiB (its root filesystem is unpacked into memory at boot; with less the kernel panics)`, { suggestions: [`--memory ${MIN_SEAT_MEMORY_MIB}`, `or leave it out (${DEFAULT_SEAT_MEMORY_MIB})`] });
  if (size < 1) throw invalidArgument(`--pool ${size}: a warm pool keeps at least 1 sandbox`);
  if (size > seats) throw invalidArgument(`--pool ${size} is more than the class's ${seats} seats`, { suggestions: [`--pool ${seats}`, `or more seats: --seats ${size}`] });
  const slots = hosts.reduce((n, h) => n + h.slots, 0);
  if (kind === 'hosts' && size > slots) throw invalidArgument(`--pool ${size} is more than the ${slots} slots of the hosts file`, { suggestions: [`--pool ${slots}`, 'or add hosts or slots=N to the hosts file'] });
  return { className, kind, hosts, size, memoryMiB };
}
