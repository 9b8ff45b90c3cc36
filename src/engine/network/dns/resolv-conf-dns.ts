// The resolv.conf of a container on a user-defined network names the engine's DNS server (on the
// network's gateway address, ADR 0009) instead of the host's servers, which the server forwards to.
// search and options lines stay as the container service wrote them. Pure.

export function pointAtEmbeddedDns(resolvConf: string, server: string): string {
  const kept = resolvConf.split('\n').filter((l) => l.trim() && !/^\s*nameserver\s/.test(l));
  return [...kept.filter((l) => /^\s*(search|domain)\s/.test(l)), `nameserver ${server}`, ...kept.filter((l) => !/^\s*(search|domain)\s/.test(l))].join('\n') + '\n';
}
