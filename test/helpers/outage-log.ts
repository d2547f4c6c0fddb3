import type { LogWindow } from './log-window';

/** One JSON log line as pino writes it. */
export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** The window's JSON log lines whose message matches. */
export function linesMatching(window: LogWindow, pattern: RegExp): LogLine[] {
  return window
    .text()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => typeof line.msg === 'string' && pattern.test(line.msg));
}

/** The lines an outage of a dependency writes (http/outages.ts): its start, and its end with the count. */
export const outageStarted = (what: 'the database' | 'the shared cache (Redis)') => new RegExp(`^${escape(what)} is unavailable:`);
export const outageEnded = (what: 'the database' | 'the shared cache (Redis)') => new RegExp(`^${escape(what)} answers again:`);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The logger writes levels as labels. */
export const WARN = 'warn';
