import fs from 'node:fs';

// Peak resident memory of a server while wrk loads it, read from /proc (Linux; elsewhere no figure).

/** VmRSS of a process in MB, null when it cannot be read. */
function rssMB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The processes whose parent is `pid` (cluster workers), from /proc/<n>/stat. */
export function childPids(pid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const entry of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: the parent pid is the 2nd field after it.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

export interface ProcessPeak {
  pid: number;
  role: 'server' | 'primary' | 'worker';
  peakRssMB: number | null;
}

/**
 * Samples every 100 ms the process and its children (a primary and its workers) while `run` goes
 * on; resolves to run's value and each process's peak. Children are looked up once, at the start.
 */
export async function withPeakRss<T>(pid: number, run: () => Promise<T>): Promise<{ value: T; peaks: ProcessPeak[] }> {
  const workers = childPids(pid);
  const peaks: ProcessPeak[] = [
    { pid, role: workers.length ? 'primary' : 'server', peakRssMB: null },
    ...workers.map((w): ProcessPeak => ({ pid: w, role: 'worker', peakRssMB: null })),
  ];
  const sample = () => {
    for (const p of peaks) {
      const now = rssMB(p.pid);
      if (now !== null) p.peakRssMB = Math.max(p.peakRssMB ?? 0, Math.round(now * 10) / 10);
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  try {
    const value = await run();
    sample();
    return { value, peaks };
  } finally {
    clearInterval(timer);
  }
}
