// Calls to boxlab serve's JSON API (same origin; the token cookie rides along).
export class ApiError extends Error {}

export async function api<T>(method: 'GET' | 'POST', path: string): Promise<T> {
  const res = await fetch(path, { method, credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = body as { message?: string; suggestions?: string[] } | undefined;
    throw new ApiError([e?.message ?? `${res.status} ${res.statusText}`, ...(e?.suggestions ?? []).map((s) => `hint: ${s}`)].join('\n'));
  }
  return body as T;
}

/** an element with text content only: everything from the network goes in as text, never as HTML */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
