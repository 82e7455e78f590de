import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local link secret: made once by `npm start`, kept in the data folder so that links in the
 * local inbox keep working after a restart, and shared with `npm run import` and `npm run digest`.
 */
export async function localLinkSecret(dataDir: string, create = true): Promise<string | undefined> {
  const file = join(dataDir, 'link-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    if (!create) return undefined;
    const secret = randomBytes(32).toString('base64url');
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}
