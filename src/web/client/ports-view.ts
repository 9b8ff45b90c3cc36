// The ports the student published (`docker run -p`), each a link that opens the container's page through
// the lab server: the sandbox itself is not reachable from the browser. Refreshed when the engine publishes
// or releases a port (the trace says so), hidden while there is none.
import { api, el } from './api.js';
import { t } from './i18n.js';
import type { Lang } from '../../core/lang.js';

interface PublishedPort {
  container: string;
  containerPort: number;
  hostPort: number;
  url: string;
}

export class PortsView {
  private ports: PublishedPort[] = [];

  constructor(private readonly box: HTMLElement, private lang: Lang) {
    box.className = 'ports';
    box.hidden = true;
    void this.refresh();
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.render();
  }

  /** after a trace step that can change the list: a container with ports started (runc.run: the engine lists
   * it as running only then, after network.port) or let them go */
  noticeStep(step: string): void {
    if (['runc.run', 'network.release', 'process.exit', 'cleanup'].includes(step)) void this.refresh();
  }

  async refresh(): Promise<void> {
    this.ports = await api<PublishedPort[]>('GET', '/api/ports').catch(() => []);
    this.render();
  }

  private render(): void {
    this.box.hidden = this.ports.length === 0;
    const items = this.ports.map((p) =>
      el('li', { 'data-port': String(p.hostPort) },
        el('a', { href: p.url, target: '_blank', rel: 'noopener noreferrer' }, `:${p.hostPort}`),
        ` → ${p.container}:${p.containerPort}`));
    this.box.replaceChildren(el('strong', {}, t('publishedPorts', this.lang)), el('ul', {}, ...items));
  }
}
