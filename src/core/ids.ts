// Object identifiers in Docker's style: 64 hex characters, shown as 12; names like "eager_turing".
import { randomBytes } from 'node:crypto';

export function newId(): string {
  return randomBytes(32).toString('hex');
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

const ADJECTIVES = ['brave', 'calm', 'eager', 'gentle', 'happy', 'jolly', 'keen', 'lucid', 'merry', 'nifty', 'quirky', 'sharp', 'tender', 'vivid', 'wise', 'zen'];
const SCIENTISTS = ['turing', 'hopper', 'lovelace', 'dijkstra', 'knuth', 'ritchie', 'thompson', 'torvalds', 'liskov', 'hamilton', 'shannon', 'noether', 'curie', 'tu', 'yang', 'wu'];

export function randomName(): string {
  const pick = (list: string[]) => list[randomBytes(1)[0] % list.length];
  return `${pick(ADJECTIVES)}_${pick(SCIENTISTS)}`;
}

/** Docker's rule for container names: [a-zA-Z0-9][a-zA-Z0-9_.-]+ */
export const CONTAINER_NAME_PATTERN = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
