// The WWW-Authenticate challenge of a registry's 401 (RFC 7235, as the distribution spec's token auth uses
// it): `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"`
// tells the client where to get a token; `Basic realm="..."` asks for a username and password on each
// request. Pure parsing.

export interface AuthChallenge {
  /** lowercased: "bearer", "basic" */
  scheme: string;
  /** lowercased keys: realm, service, scope, error */
  params: Record<string, string>;
}

/** parses one header value, which may hold several challenges ("Basic realm=x, Bearer realm=y") */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let i = 0;
  const s = header;
  const skipSpaces = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const token = () => {
    const start = i;
    while (i < s.length && /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(s[i])) i++;
    return s.slice(start, i);
  };
  while (i < s.length) {
    skipSpaces();
    if (s[i] === ',') {
      i++;
      continue;
    }
    const scheme = token();
    if (scheme === '') break;
    const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(challenge);
    // auth-params: key=value or key="quoted", separated by commas, until the next scheme
    for (;;) {
      skipSpaces();
      const mark = i;
      const key = token();
      skipSpaces();
      if (key === '' || s[i] !== '=') {
        i = mark; // not a parameter: the next challenge's scheme (or the end)
        break;
      }
      i++;
      skipSpaces();
      let value = '';
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          value += s[i++];
        }
        i++;
      } else {
        // unquoted: up to the next comma or space (lenient: realms such as http://x/token appear unquoted)
        const start = i;
        while (i < s.length && s[i] !== ',' && s[i] !== ' ' && s[i] !== '\t') i++;
        value = s.slice(start, i);
      }
      challenge.params[key.toLowerCase()] = value;
      skipSpaces();
      if (s[i] === ',') i++;
      else break;
    }
  }
  return out;
}

/** the scope string a token request asks for: "repository:library/busybox:pull,push" */
export function repositoryScope(repository: string, actions: readonly string[]): string {
  return `repository:${repository}:${actions.join(',')}`;
}
