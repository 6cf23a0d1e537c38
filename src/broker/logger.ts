/**
 * Log lines in Kafka's layout, `[2026-11-24 18:41:48,123] INFO message (component)`, so operators and
 * scripts that read Kafka's server.log read ours. Lines go to stderr; `SAMSA_LOG_LEVEL` (DEBUG, INFO,
 * WARN, ERROR) sets the threshold.
 */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

const RANK: Record<LogLevel, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

function threshold(): number {
  const level = process.env.SAMSA_LOG_LEVEL?.toUpperCase();
  return level !== undefined && level in RANK ? RANK[level as LogLevel] : RANK.INFO;
}

function timestamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`
  );
}

export class Logger {
  private readonly min = threshold();

  constructor(readonly component: string) {}

  child(component: string): Logger {
    return new Logger(component);
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.min;
  }

  log(level: LogLevel, message: string): void {
    if (RANK[level] < this.min) return;
    process.stderr.write(`[${timestamp(new Date())}] ${level} ${message} (${this.component})\n`);
  }

  debug(message: string): void {
    this.log('DEBUG', message);
  }

  info(message: string): void {
    this.log('INFO', message);
  }

  warn(message: string): void {
    this.log('WARN', message);
  }

  error(message: string): void {
    this.log('ERROR', message);
  }
}
