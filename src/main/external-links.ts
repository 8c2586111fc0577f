// The only addresses the desktop app hands to the system browser: the project's own links.
// Anything else a page tries to open or navigate to goes nowhere (a compromised or confused
// renderer must not be able to launch arbitrary URLs, even https ones).

export const PROJECT_LINKS: readonly string[] = [
  'https://www.tensorflow.org/js',
  'https://github.com/tensorflow/tfjs',
  'https://yann.lecun.com/exdb/mnist/',
  'https://yann.lecun.com/exdb/lenet/',
];

const allowed = new Set(PROJECT_LINKS.map((link) => new URL(link).href));

/** True only for an exact project link (scheme, host, path, no credentials, no query). */
export function isAllowedExternalLink(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return allowed.has(url.href);
}
