// Replaying many labs at once (the lab-test integration tier and `npm run bench`): a pool that runs at
// most N jobs together and never two that conflict, and what a lab names in the shared engine
// (containers, networks, volumes, image tags), so two labs that name the same thing never run together.

/** runs work(item) for every item, at most `jobs` at once, never two that conflict together; resolves when all are done */
export async function runPool<T>(items: readonly T[], jobs: number, conflict: (a: T, b: T) => boolean, work: (item: T) => Promise<void>): Promise<void> {
  const pending = [...items];
  const running = new Map<T, Promise<void>>();
  while (pending.length > 0 || running.size > 0) {
    const i = running.size < Math.max(1, jobs) ? pending.findIndex((p) => ![...running.keys()].some((r) => conflict(p, r))) : -1;
    if (i >= 0) {
      const [item] = pending.splice(i, 1);
      running.set(item, work(item).finally(() => running.delete(item)));
      continue;
    }
    await Promise.race(running.values());
  }
}

/** the names a lab's text gives engine objects: --name X, network create X, volume create X, -t X */
export function labEngineNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/--name[= ]+([\w.-]+)|network create (?:-\S+ +\S+ +)*([\w.-]+)|volume create ([\w.-]+)|\s-t ([\w.-]+)/g)) {
    const name = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (!name.startsWith('-')) names.add(name);
  }
  return names;
}

/**
 * a lab whose commands prune (docker image|container|volume|network|system|builder prune) removes what
 * the other labs on the shared engine made a moment ago (a build's newest step image, a stopped
 * container a check is about to read): it replays alone. Only code counts: prose that names the
 * command does not.
 */
export function labPrunes(text: string): boolean {
  return /\bdocker\s+(?:image|container|volume|network|system|builder)\s+prune\b/.test(labCode(text));
}

/**
 * a lab whose checks read the engine's past events (`docker events --since`) replays alone too: the
 * engine keeps the last 256 events, as dockerd does, and on a shared engine the other labs' builds and
 * runs push a lab's own events out before its check reads them (a student's engine has only theirs)
 */
export function labReadsPastEvents(text: string): boolean {
  return /\bdocker\s+events\b[^\n]*--since\b/.test(labCode(text));
}

/** the text of a lab's fenced blocks (snippets, checks, solutions), without its prose */
function labCode(text: string): string {
  return text.split(/^```.*$/m).filter((_, i) => i % 2 === 1).join('\n');
}

/** two labs conflict when they name one engine object alike */
export function shareEngineNames(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return [...a].some((x) => b.has(x));
}
