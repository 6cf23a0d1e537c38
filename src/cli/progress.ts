import { plainOutput, type ToolIO } from './tool.js';

/**
 * A live progress line for the perf tools: redrawn in place ("\r" and erase-to-end) only when stdout is
 * a terminal; with NO_COLOR, or when output is piped, nothing is drawn, so files get Kafka's lines only.
 */
export class ProgressLine {
  private shown = false;
  private readonly enabled: boolean;

  constructor(private readonly io: ToolIO) {
    this.enabled = io.isTTY;
  }

  update(text: string): void {
    if (!this.enabled) return;
    // NO_COLOR keeps the line but drops the dim attribute.
    const styled = plainOutput(this.io) ? text : `\x1b[2m${text}\x1b[0m`;
    this.io.out(`\r${styled}\x1b[K`);
    this.shown = true;
  }

  /** Erases the line before a normal line is printed. */
  clear(): void {
    if (!this.shown) return;
    this.io.out('\r\x1b[K');
    this.shown = false;
  }
}

/** Java's %.Nf. */
export const fixed = (n: number, digits: number): string =>
  Number.isFinite(n) ? n.toFixed(digits) : n > 0 ? 'Infinity' : 'NaN';
