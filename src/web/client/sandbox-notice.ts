// With the local sandbox the page's terminal is a root shell on this very computer: nothing (no VM)
// stands between what a student types and the machine. The page says so, always, in a bar under the
// header; a VM sandbox needs no notice.
import { t } from './i18n.js';
import type { Lang } from '../../core/lang.js';

export function showSandboxNotice(box: HTMLElement, provider: string | undefined, lang: Lang): void {
  box.hidden = provider !== 'local';
  box.className = 'sandbox-notice';
  box.textContent = provider === 'local' ? t('localSandbox', lang) : '';
}
