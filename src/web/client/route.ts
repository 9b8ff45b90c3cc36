// The page's address: #/ is the catalog, #/lab/<id> a lab at the learner's step, #/lab/<id>/<step> a step.
export const CatalogRoute = 'catalog';

export type Route = { kind: typeof CatalogRoute } | { kind: 'lab'; lab: string; step?: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  if (parts[0] === 'lab' && parts[1]) return parts[2] ? { kind: 'lab', lab: parts[1], step: parts[2] } : { kind: 'lab', lab: parts[1] };
  return { kind: CatalogRoute };
}
