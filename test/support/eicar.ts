/**
 * The EICAR anti-virus test string, made at run time (never stored whole in the repository, so
 * that no scanner quarantines a source file), and a one-line ClamAV body signature (.ndb) that
 * matches it anywhere in a file: the only database the tests need (docs/malware-scanning.md).
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Each character's code plus one, in two halves: decoded, they are the 68-byte EICAR string. */
const SHIFTED = ['Y6P"Q&ABQ\\5]Q[Y65)Q_*8DD*8~%F', 'JDBS.TUBOEBSE.BOUJWJSVT.UFTU.GJMF"%I,I+'];

export function eicar(): string {
  return SHIFTED.join('')
    .split('')
    .map((c) => String.fromCharCode(c.charCodeAt(0) - 1))
    .join('');
}

/** Writes `<dir>/eicar.ndb` (signature name `Eicar-Test`) and returns its path. */
export async function writeEicarDatabase(dir: string): Promise<string> {
  const path = join(dir, 'eicar.ndb');
  await writeFile(path, `Eicar-Test:0:*:${Buffer.from(eicar(), 'latin1').toString('hex')}\n`);
  return path;
}

/** Why ClamAV tests cannot run here, or undefined when `clamscan` runs. */
export function clamscanMissing(command = 'clamscan'): string | undefined {
  const run = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (run.error || run.status !== 0) {
    return `${command} is not installed (Debian: apt-get install clamav): ${run.error?.message ?? `exit ${run.status}`}`;
  }
  return undefined;
}
