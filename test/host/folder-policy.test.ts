import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderPolicy, resolveReal } from '../../src/host/folder-policy';
import { tempDir } from '../helpers/fixtures';

function setup() {
  const root = realpathSync(tempDir('lenet-folders-'));
  const home = path.join(root, 'home');
  const runs = path.join(root, 'runs');
  mkdirSync(path.join(home, '.ssh'), { recursive: true });
  mkdirSync(path.join(home, 'data'), { recursive: true });
  mkdirSync(runs);
  const policy = new FolderPolicy({
    howToChoose: 'choose it',
    readOnlyRoots: async () => [runs],
    home,
  });
  return { root, home, runs, policy };
}

describe('folder policy', () => {
  it('resolves links and `..` in the part that exists, and keeps a tail still to be created', async () => {
    const { root, home } = setup();
    symlinkSync(path.join(home, 'data'), path.join(root, 'link'));
    expect(await resolveReal(path.join(root, 'link', 'new', 'model'))).toBe(
      path.join(home, 'data', 'new', 'model'),
    );
    expect(await resolveReal(path.join(home, 'data', '..', 'data'))).toBe(path.join(home, 'data'));
  });

  it('reads the runs folder without a grant, but never exports into it', async () => {
    const { runs, policy } = setup();
    await expect(policy.check('model', path.join(runs, 'r1', 'checkpoint'))).resolves.toBe(
      path.join(runs, 'r1', 'checkpoint'),
    );
    await expect(policy.check('export', path.join(runs, 'x'))).rejects.toThrow(
      /export folder .* was not chosen in this session: choose it\. Allowed: folders chosen in this session\.$/,
    );
  });

  it('a typed path may not open up the home folder itself or its hidden folders; a dialog pick may', async () => {
    const { home, policy } = setup();
    await expect(policy.grant(home, 'typed')).rejects.toThrow(/whole home folder/);
    await expect(policy.grant(path.join(home, '.ssh'), 'typed')).rejects.toThrow(/hidden folder/);
    await expect(policy.grant(path.join(home, 'data'), 'typed')).resolves.toBe(
      path.join(home, 'data'),
    );
    await expect(policy.grant(path.join(home, '.ssh'), 'dialog')).resolves.toBe(
      path.join(home, '.ssh'),
    );
  });

  it('a grant covers what is inside it, not its siblings or what its links point to', async () => {
    const { root, home, policy } = setup();
    const data = path.join(home, 'data');
    await policy.grant(data, 'typed');
    symlinkSync(path.join(home, '.ssh'), path.join(data, 'keys'));
    await expect(policy.check('dataset', path.join(data, 'mnist'))).resolves.toBe(
      path.join(data, 'mnist'),
    );
    await expect(policy.check('dataset', `${data}-other`)).rejects.toThrow(/not chosen/);
    await expect(policy.check('model', path.join(data, 'keys', 'id_rsa'))).rejects.toThrow(
      new RegExp(`\\(resolves to ${path.join(home, '.ssh', 'id_rsa')}\\) was not chosen`),
    );
    await expect(policy.check('dataset', path.join(root, 'home'))).rejects.toThrow(/not chosen/);
  });
});
