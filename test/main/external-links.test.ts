import { describe, expect, it } from 'vitest';
import { isAllowedExternalLink, PROJECT_LINKS } from '../../src/main/external-links';

describe('external links (openExternal allow-list)', () => {
  it('allows exactly the project’s own links', () => {
    for (const link of PROJECT_LINKS) expect(isAllowedExternalLink(link)).toBe(true);
    expect(isAllowedExternalLink('https://www.tensorflow.org/js')).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'https://www.tensorflow.org/js/../../evil',
    'https://www.tensorflow.org/jsx',
    'https://www.tensorflow.org/js?next=https://evil.example',
    'https://user:pass@www.tensorflow.org/js',
    'http://www.tensorflow.org/js',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'not a url',
  ])('refuses anything else: %s', (url) => {
    expect(isAllowedExternalLink(url)).toBe(false);
  });
});
