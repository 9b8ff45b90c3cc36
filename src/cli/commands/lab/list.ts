// `boxlab lab list`: the lab catalog by track (labs/tracks.yaml), each lab with its minutes, level,
// prerequisites and the learner's progress, in columns (lab-format.ts formatCatalogTracks).
import { catalogByTrack, type CatalogTrack } from '../../../labs/lab-catalog.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags } from '../../lab-context.js';
import { formatCatalogTracks } from '../../lab-format.js';

export default class LabList extends BaseCommand {
  static override description = 'list the labs by track, with your progress';
  static override enableJsonFlag = true;
  static override flags = { ...labFlags };

  async run(): Promise<CatalogTrack[]> {
    const { flags } = await this.parse(LabList);
    const ctx = labContext(flags);
    try {
      const tracks = await catalogByTrack(ctx);
      if (tracks.length > 0) this.log(formatCatalogTracks(tracks, ctx.lang));
      return tracks;
    } finally {
      ctx.store.close();
    }
  }
}
