// The resolv.conf of a container on a user-defined network names the engine's DNS server (127.0.0.11,
// as in Docker; ADR 0009) instead of the host's servers, which the engine forwards to. search and
// options lines stay as the container service wrote them. Pure.

export function pointAtEmbeddedDns(resolvConf: string, server: string): string {
  const kept = resolvConf.split('\n').filter((l) => l.trim() && !/^\s*nameserver\s/.test(l));
  const isSearch = (l: string) => /^\s*(search|domain)\s/.test(l);
  return [...kept.filter(isSearch), `nameserver ${server}`, ...kept.filter((l) => !isSearch(l))].join('\n') + '\n';
}
