// Debian packages that the scripts install when a command is missing. Node's standard library only.
import { capture, run } from './processes.mjs';

/** True when we may install with apt-get: root on a machine that has it. */
export async function canAptInstall() {
  return (
    typeof process.getuid === 'function' &&
    process.getuid() === 0 &&
    (await capture('apt-get', ['--version'])) !== null
  );
}

/** `apt-get update` then `apt-get install -y` of `packages`; rejects with a clear message. */
export async function aptInstall(packages, log) {
  log(`installing ${packages.join(', ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env, what: 'apt-get update' });
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    env,
    what: `apt-get install ${packages.join(' ')}`,
  });
}
