import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths';

/** The version in package.json (`oauth-gateway --version`, the OpenAPI document's info.version). */
export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}
