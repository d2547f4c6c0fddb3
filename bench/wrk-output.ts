import { RESULT_MARKER } from './wrk-script';

/** One wrk run, from the line the script's done() prints. */
export interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connect, read and write errors and timeouts. */
  socketErrors: number;
  /** Answers with status >= 400 (wrk counts those as errors). */
  httpErrors: number;
}

interface DoneLine {
  requests: number;
  durationUs: number;
  connectErrors: number;
  readErrors: number;
  writeErrors: number;
  statusErrors: number;
  timeouts: number;
  latencyP50Us: number;
  latencyP99Us: number;
  latencyMaxUs: number;
}

const ms = (us: number) => Math.round(us / 10) / 100;

/** Reads wrk's standard output; throws when the result line is missing (wrk failed or the script did not run). */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (!line) throw new Error(`wrk printed no result line: ${stdout.trim().slice(-300) || '(nothing)'}`);
  const d = JSON.parse(line.slice(RESULT_MARKER.length)) as DoneLine;
  return {
    requests: d.requests,
    requestsPerSecond: d.durationUs > 0 ? Math.round(d.requests / (d.durationUs / 1e6)) : 0,
    p50Ms: ms(d.latencyP50Us),
    p99Ms: ms(d.latencyP99Us),
    maxMs: ms(d.latencyMaxUs),
    socketErrors: d.connectErrors + d.readErrors + d.writeErrors + d.timeouts,
    httpErrors: d.statusErrors,
  };
}
