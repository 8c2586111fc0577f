// `npm run bench` part 2: the Train view in browser mode while a full-MNIST epoch trains —
// the longest gap between animation frames and the progress events per second that reach it.
import {
  measureResponsiveness,
  type ResponsivenessReport,
} from '../../test/e2e/helpers/responsiveness';
import { chromiumMissingReason } from '../../test/e2e/helpers/chromium';
import { withStudioInBrowser } from './studio-in-browser';

export async function benchResponsiveness(): Promise<ResponsivenessReport | { skipped: string }> {
  const missing = chromiumMissingReason();
  if (missing) return { skipped: missing };
  return withStudioInBrowser((browser, url) => measureResponsiveness(browser, url, { epochs: 1 }));
}
