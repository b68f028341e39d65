import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where the built front-end (@cairn/dashboard's dist/) is, or null when it was never built. The
 * package is found by module resolution, as any dependency: never by a path into another
 * workspace.
 */
export function dashboardRoot(): string | null {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('@cairn/dashboard/package.json');
  } catch {
    return null;
  }
  const root = join(dirname(packageJson), 'dist');
  return existsSync(join(root, 'index.html')) ? root : null;
}
