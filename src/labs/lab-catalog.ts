// The catalog grouped by track, as `boxlab lab list` (and --json) and the page show it: each track of
// labs/tracks.yaml with its title in the student's language and its labs in order; labs in no track
// come last, under "other labs".
import type { Lang } from '../core/lang.js';
import { labMessage } from './lab-messages.js';
import { readCatalogContext } from './lab-loader.js';
import { listCatalog, type CatalogEntry, type LabSessionContext } from './lab-session.js';
import { groupByTrack } from './lab-tracks.js';

export interface CatalogTrack {
  /** null: the labs in no track */
  id: string | null;
  title: string;
  labs: CatalogEntry[];
}

export async function catalogByTrack(ctx: LabSessionContext): Promise<CatalogTrack[]> {
  const [labs, context] = await Promise.all([listCatalog(ctx), readCatalogContext(ctx.labsRoot)]);
  return groupByTrack(labs, context.tracks?.tracks ?? []).map((g) => ({
    id: g.track?.id ?? null,
    title: g.track ? (g.track.title[ctx.lang] ?? g.track.title.en ?? g.track.id) : otherLabs(ctx.lang),
    labs: g.labs,
  }));
}

function otherLabs(lang: Lang): string {
  return labMessage(lang, 'list.other');
}
