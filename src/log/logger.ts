// pino logger whose every serialised line passes through redactLogLine(): no registered
// secret can reach the log sink, whichever field or message carried it, and every line
// stays valid JSON.
import { pino, destination, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { Writable } from 'node:stream';
import { redactLogLine } from './redact.js';

export type { Logger } from 'pino';

// Field names that never hold anything but secrets: censored before serialisation.
const SECRET_PATHS = [
  'password', '*.password', 'token', '*.token', 'secret', '*.secret',
  'headers["x-auth-token"]', 'headers["x-subject-token"]', '*.headers["x-auth-token"]',
  '*.headers["x-subject-token"]', 'headers["x-password"]', '*.headers["x-password"]', 'privateKey', '*.privateKey',
];

class RedactingStream extends Writable {
  constructor(private readonly target: DestinationStream) { super(); }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    // pino writes whole lines; each is scrubbed on its own so that it stays one JSON value
    this.target.write(chunk.toString('utf8').split('\n').map((l) => (l ? redactLogLine(l) : l)).join('\n'));
    done();
  }
}

export function createLogger(opts: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? process.env.SM_LOG_LEVEL ?? 'info',
    redact: { paths: SECRET_PATHS, censor: '[REDACTED]' },
    ...(opts.name ? { name: opts.name } : {}),
  };
  return pino(options, new RedactingStream(opts.destination ?? destination(1)));
}

/** A logger that drops everything (library default when the caller gives none). */
export const silentLogger: Logger = pino({ level: 'silent' });
