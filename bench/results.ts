import fs from 'node:fs';
import path from 'node:path';
import type { Goal } from './goals';
import type { Row } from './rows';
import { ratioChart } from './svg';
import { markdownTable } from './table';

// bench/results/: the run as JSON (everything), the ratio chart as SVG and the table as Markdown.

export interface RunRecord {
  date: string;
  settings: Record<string, unknown>;
  environment: Record<string, unknown>;
  rows: Row[];
  goals: Goal[];
}

export function writeResults(dir: string, record: RunRecord): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files = {
    'latest.json': JSON.stringify(record, null, 2) + '\n',
    'latest.svg': ratioChart(record.rows, `Ratio to the lean baseline (node:http + undici Pool.stream), ${record.date.slice(0, 10)}`),
    'latest.md': markdownTable(record.rows, record.goals) + '\n',
  };
  return Object.entries(files).map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}
