// Calls to boxlab serve's JSON API (same origin; the token cookie rides along).
export class ApiError extends Error {}

export async function api<T>(method: 'GET' | 'POST', path: string, body?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'text/plain; charset=utf-8';
  const res = await fetch(path, { method, credentials: 'same-origin', headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  const reply = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = reply as { message?: string; suggestions?: string[] } | undefined;
    throw new ApiError([e?.message ?? `${res.status} ${res.statusText}`, ...(e?.suggestions ?? []).map((s) => `hint: ${s}`)].join('\n'));
  }
  return reply as T;
}

/** an element with text content only: everything from the network goes in as text, never as HTML */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
