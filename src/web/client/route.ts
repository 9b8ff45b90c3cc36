// The page's address: #/ is the catalog, #/lab/<id> a lab at the learner's step, #/lab/<id>/<step> a step,
// #/tutorial/<id>[/<n>] a tutorial at step n (1-based).
export const CatalogRoute = 'catalog';

export type Route = { kind: typeof CatalogRoute } | { kind: 'lab' | 'tutorial'; lab: string; step?: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  if ((parts[0] === 'lab' || parts[0] === 'tutorial') && parts[1]) {
    const kind = parts[0];
    return parts[2] ? { kind, lab: parts[1], step: parts[2] } : { kind, lab: parts[1] };
  }
  return { kind: CatalogRoute };
}
