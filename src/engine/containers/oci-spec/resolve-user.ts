// `docker run -u`: which uid, gid and supplementary groups the container's process runs as. Names are
// looked up in the image's own /etc/passwd and /etc/group (not the host's), with the rules of runc's
// libcontainer/user GetExecUser: "name", "uid", "uid:gid", "name:group", and "" for root. A numeric id
// with no passwd entry is allowed; an unknown name is Docker's error.
import { invalidArgument } from '../../../core/errors.js';
import { readFileInRoot } from '../../../core/scoped-path.js';
import type { ProcessUser } from './spec-input.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export interface ResolvedUser extends ProcessUser {
  /** the home directory from passwd ("/" if none), for HOME */
  home: string;
}

const MAX_ID = 2 ** 31 - 1;

export function parsePasswd(text: string): PasswdEntry[] {
  return text.split('\n').flatMap((line) => {
    const l = line.trim();
    if (l === '' || l.startsWith('#')) return [];
    const f = l.split(':');
    return [{ name: f[0] ?? '', uid: Number.parseInt(f[2] ?? '', 10) || 0, gid: Number.parseInt(f[3] ?? '', 10) || 0, home: f[5] ?? '' }];
  });
}

export function parseGroup(text: string): GroupEntry[] {
  return text.split('\n').flatMap((line) => {
    const l = line.trim();
    if (l === '' || l.startsWith('#')) return [];
    const f = l.split(':');
    const members = (f[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
    return [{ name: f[0] ?? '', gid: Number.parseInt(f[2] ?? '', 10) || 0, members }];
  });
}

const numeric = (s: string): number | undefined => (/^\d+$/.test(s) ? Number(s) : undefined);

/** pure: the user for a -u value given the rootfs's passwd and group text (undefined = file missing) */
export function resolveUserFromFiles(user: string, passwdText: string | undefined, groupText: string | undefined): ResolvedUser {
  const [userArg = '', groupArg = ''] = user.split(':', 2);
  const uidArg = numeric(userArg);
  const gidArg = numeric(groupArg);
  const passwd = passwdText === undefined ? undefined : parsePasswd(passwdText);
  const groups = groupText === undefined ? undefined : parseGroup(groupText);
  const out: ResolvedUser = { uid: 0, gid: 0, additionalGids: [], home: '/' };

  const match = passwd?.find((u) => (userArg === '' ? u.uid === 0 : uidArg !== undefined ? u.uid === uidArg : u.name === userArg));
  let matchedName = '';
  if (match) {
    matchedName = match.name;
    out.uid = match.uid;
    out.gid = match.gid;
    out.home = match.home || '/';
  } else if (userArg !== '') {
    if (uidArg === undefined) throw invalidArgument(`unable to find user ${userArg}: no matching entries in passwd file`);
    if (uidArg > MAX_ID) throw invalidArgument(`uids and gids must be in range 0-${MAX_ID}`);
    out.uid = uidArg;
  }

  if (groupArg !== '') {
    const g = groups?.find((x) => (gidArg !== undefined ? x.gid === gidArg : x.name === groupArg));
    if (g) out.gid = g.gid;
    else if (gidArg === undefined) throw invalidArgument(`unable to find group ${groupArg}: no matching entries in group file`);
    else if (gidArg > MAX_ID) throw invalidArgument(`uids and gids must be in range 0-${MAX_ID}`);
    else out.gid = gidArg;
  } else if (matchedName !== '' && groups) {
    // supplementary groups only come with the implicit form ("name", not "name:group")
    out.additionalGids = groups.filter((g) => g.members.includes(matchedName)).map((g) => g.gid);
  }
  return out;
}

/** extra groups from --group-add: names are looked up in the image's /etc/group, numbers taken as they are */
export function resolveGroupAdd(groupAdd: readonly string[], groupText: string | undefined): number[] {
  const groups = groupText === undefined ? [] : parseGroup(groupText);
  return groupAdd.map((g) => {
    const n = numeric(g);
    if (n !== undefined) return n;
    const found = groups.find((x) => x.name === g);
    if (!found) throw invalidArgument(`unable to find group ${g}: no matching entries in group file`);
    return found.gid;
  });
}

/** reads the rootfs's /etc/passwd and /etc/group without following links out of it */
export async function resolveUser(rootfs: string, user: string, groupAdd: readonly string[] = []): Promise<ResolvedUser> {
  const [passwd, group] = await Promise.all([readFileInRoot(rootfs, '/etc/passwd'), readFileInRoot(rootfs, '/etc/group')]);
  const resolved = resolveUserFromFiles(user, passwd, group);
  if (groupAdd.length > 0) {
    const extra = resolveGroupAdd(groupAdd, group);
    resolved.additionalGids = [...new Set([...(resolved.additionalGids ?? []), ...extra])];
  }
  return resolved;
}
