import type { FastifyInstance } from 'fastify';
import { HttpErrors } from './errors.js';

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  /** The variable that sets the port, named in the message when the port is taken. */
  readonly portVariable: string;
}

/** Listens, turning "address in use" into a message that says what to do. Returns the address. */
export async function listen(app: FastifyInstance, options: ListenOptions): Promise<string> {
  try {
    return await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    if (isErrno(error) && error.code === 'EADDRINUSE') {
      throw new HttpErrors.portInUse(options.port, options.host, options.portVariable);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpErrors.cannotListen(`${options.host}:${options.port}`, reason);
  }
}

/**
 * Closes everything on SIGTERM or SIGINT, in order, and exits; a second signal, or a close that
 * takes longer than `graceMs`, exits at once with status 1.
 */
export function closeOnSignals(
  close: () => Promise<void>,
  log: (message: string) => void,
  graceMs = 10_000,
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) process.exit(1);
    closing = true;
    log(`${signal} received, shutting down`);
    const timer = setTimeout(() => {
      log(`shutdown took longer than ${graceMs} ms, exiting`);
      process.exit(1);
    }, graceMs);
    timer.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/**
 * Runs a process's main function. A failure at start-up prints one line, `<name>: <message>`,
 * for errors from our catalogues (they carry a string `code` and a message written for people),
 * and the stack for anything else, then exits non-zero.
 */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string') {
      process.stderr.write(`${name}: ${error.message}\n`);
    } else {
      process.stderr.write(`${name}: unexpected failure at start-up\n`);
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  });
}

function isErrno(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
