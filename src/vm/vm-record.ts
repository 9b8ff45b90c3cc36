// VmRecord: one JSON file per VM (vms/<name>/vm.json), written atomically. `phase` makes a Ctrl-C during
// create visible: a record still "creating" is a half-created VM, which the next create or delete cleans up
// (conmon-style rollback: undo what was done, then try again).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomic-file.js';
import { invalidArgument } from '../core/errors.js';
import type { VmProviderName, VmSpec } from './vm-provider.js';

export const VM_PHASES = ['creating', 'created'] as const;
export type VmPhase = (typeof VM_PHASES)[number];

export interface VmRecord {
  name: string;
  provider: VmProviderName;
  phase: VmPhase;
  createdAt: string;
  spec: VmSpec;
  data: Record<string, unknown>;
}

export const VM_NAME_PATTERN = /^[a-z][a-z0-9-]{0,30}$/;

export function checkVmName(name: string): void {
  if (!VM_NAME_PATTERN.test(name)) {
    throw invalidArgument(`invalid vm name "${name}": expected lowercase letters, digits and dashes, starting with a letter (at most 31)`);
  }
}

export class VmRecordStore {
  constructor(readonly root: string) {}

  dir(name: string): string {
    checkVmName(name);
    return path.join(this.root, name);
  }

  async get(name: string): Promise<VmRecord | undefined> {
    return readJsonIfExists<VmRecord>(path.join(this.dir(name), 'vm.json'));
  }

  async put(record: VmRecord): Promise<void> {
    await writeJsonAtomic(path.join(this.dir(record.name), 'vm.json'), record);
  }

  async remove(name: string): Promise<void> {
    await fs.rm(this.dir(name), { recursive: true, force: true });
  }

  async list(): Promise<VmRecord[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.root);
    } catch {
      return [];
    }
    const out: VmRecord[] = [];
    for (const n of names.sort()) {
      if (!VM_NAME_PATTERN.test(n)) continue;
      const r = await this.get(n);
      if (r) out.push(r);
    }
    return out;
  }
}
