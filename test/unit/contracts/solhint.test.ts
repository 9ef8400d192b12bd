// solhint over the Solidity sources with resources/contracts/.solhint.json (recommended rules, pinned compiler):
// errors fail the build. Rules turned off there are stylistic or fight the signed EIP-712 field order.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');

describe('solhint', () => {
  it('finds no errors or warnings in the contracts', { timeout: 60_000 }, () => {
    const bin = join(root, 'node_modules', 'solhint', 'solhint.js');
    let out = '';
    try {
      out = execFileSync(process.execPath, [bin, '-f', 'json', '-c', 'resources/contracts/.solhint.json', 'resources/contracts/src/*.sol', 'resources/contracts/test-src/*.sol'], { cwd: root, encoding: 'utf8' });
    } catch (e: any) {
      out = String(e.stdout ?? '');
    }
    const start = out.indexOf('[');
    const reports = JSON.parse(out.slice(start, out.lastIndexOf(']') + 1)) as { filePath?: string; line?: number; ruleId?: string; severity?: string; message?: string }[];
    const problems = reports.filter((r) => r.ruleId).map((r) => `${r.filePath}:${r.line} ${r.ruleId} ${r.message}`);
    expect(problems).toEqual([]);
  });
});
