// The headless browser of the dashboard's end-to-end tests: Debian's chromium, driven by
// playwright-core. Node's standard library only.
import { existsSync } from 'node:fs';
import { aptInstall, canAptInstall } from './apt.mjs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * The path of a Chromium executable: CAIRN_CHROMIUM when set, else Debian's, installing the
 * package when it is missing and we are root.
 */
export async function ensureChromium(log, env = process.env) {
  if (env.CAIRN_CHROMIUM) return env.CAIRN_CHROMIUM;
  const found = () => CANDIDATES.find((path) => existsSync(path));
  if (found()) return found();
  if (await canAptInstall()) {
    await aptInstall(['chromium'], log);
    if (found()) return found();
  }
  throw new Error(
    "chromium is not installed: the dashboard's browser tests need it (Debian: apt-get install chromium), or set CAIRN_CHROMIUM to a Chromium executable",
  );
}
