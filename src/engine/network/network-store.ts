// Networks on disk: <root>/networks/<id>.json, one file per network, written atomically (a crash leaves
// the old record or the new one). The IPAM book and the endpoints are part of the record.
// <root>/networks/disconnected.json lists the containers disconnected from every network: they start with
// loopback only, as in Docker (a container whose network was removed instead fails to start).
// <root>/networks/published.json maps each container to the ports it publishes (-p, -P), parsed at create.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonIfExists, removeStaleTemps, writeJsonAtomic } from '../../core/atomic-file.js';
import type { PortRequest } from '../docker-model.js';
import type { NetworkRecord } from './network-record.js';

const DISCONNECTED = 'disconnected.json';
const PUBLISHED = 'published.json';

export class NetworkStore {
  constructor(readonly dir: string) {}

  async loadAll(): Promise<NetworkRecord[]> {
    await fs.mkdir(this.dir, { recursive: true });
    await removeStaleTemps(this.dir);
    const out: NetworkRecord[] = [];
    for (const name of await fs.readdir(this.dir)) {
      if (!name.endsWith('.json') || name === DISCONNECTED || name === PUBLISHED) continue;
      const record = await readJsonIfExists<NetworkRecord>(path.join(this.dir, name)).catch(() => undefined);
      if (record) out.push(record);
    }
    return out;
  }

  save(n: NetworkRecord): Promise<void> {
    return writeJsonAtomic(path.join(this.dir, `${n.Id}.json`), n);
  }

  async loadDisconnected(): Promise<string[]> {
    const ids = await readJsonIfExists<unknown>(path.join(this.dir, DISCONNECTED)).catch(() => undefined);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  }

  saveDisconnected(ids: Iterable<string>): Promise<void> {
    return writeJsonAtomic(path.join(this.dir, DISCONNECTED), [...ids].sort());
  }

  async loadPublished(): Promise<Record<string, PortRequest[]>> {
    const book = await readJsonIfExists<unknown>(path.join(this.dir, PUBLISHED)).catch(() => undefined);
    if (!book || typeof book !== 'object' || Array.isArray(book)) return {};
    return Object.fromEntries(Object.entries(book).filter((e): e is [string, PortRequest[]] => Array.isArray(e[1])));
  }

  savePublished(book: Record<string, PortRequest[]>): Promise<void> {
    return writeJsonAtomic(path.join(this.dir, PUBLISHED), book);
  }

  async remove(id: string): Promise<void> {
    await fs.rm(path.join(this.dir, `${id}.json`), { force: true });
  }
}
