// Docker's view of a file's mode for `docker cp`'s stat header (X-Docker-Container-Path-Stat). Paths inside
// a container are resolved by src/core/pinned-root.ts.

/** Go's os.FileMode bits for Docker's stat header: permission bits plus type bits in the high bits */
export function goFileMode(st: { mode: number; isDirectory(): boolean; isSymbolicLink(): boolean }): number {
  let mode = st.mode & 0o777;
  if (st.mode & 0o4000) mode += 2 ** 23; // setuid
  if (st.mode & 0o2000) mode += 2 ** 22; // setgid
  if (st.mode & 0o1000) mode += 2 ** 20; // sticky
  if (st.isDirectory()) mode += 2 ** 31;
  if (st.isSymbolicLink()) mode += 2 ** 27;
  return mode;
}
