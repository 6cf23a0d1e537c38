/**
 * What the log layer is given from outside: a clock (Kafka's Time), injectable so tests drive
 * segment.ms, flush.ms and recovery progress without sleeping, and a logger for warnings and progress.
 */
export interface LogLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Kafka's Time: the clock, injectable for tests of segment.ms and flush.ms. */
export interface Time {
  milliseconds(): number;
}
export const SYSTEM_TIME: Time = { milliseconds: () => Date.now() };

export const CONSOLE_LOGGER: LogLogger = {
  info: (m) => console.info(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};
