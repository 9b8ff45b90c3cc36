// The forwarded ssh port of a qemu vm is picked free (free-port.ts) and then bound by qemu's user-mode
// network (slirp hostfwd); another program can take it in between. qemu then exits at once with the
// message below, and boxlab picks another port and starts again; other start errors are not retried.
/** qemu's stderr says the hostfwd port could not be bound (recorded from qemu 7.2 in the unit test) */
export function isHostfwdPortTaken(stderr: string): boolean {
  return /Could not set up host forwarding rule|hostfwd.*(in use|Address already in use)|Address already in use/i.test(stderr);
}

/** how many ports start tries before giving up */
export const HOSTFWD_ATTEMPTS = 3;
