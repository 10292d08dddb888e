import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson } from '../output';
import { withApi, type GlobalOptions } from '../run-context';

/** The text report: the chain, the anchor, then every entity that no longer matches; findings first. */
export function auditReportLines(res: ApiResponse<'auditVerify'>): string[] {
  const lines: string[] = [];
  if (res.firstBadSeq !== null) lines.push(`audit log BROKEN at row ${res.firstBadSeq}: ${res.reason}`);
  if (res.anchor.failed) lines.push(`audit log does not match its anchor: ${res.anchor.message}`);
  for (const f of res.findings) lines.push(f.message);
  if (res.ok) {
    const legacy = res.entities.unverifiable ? `; ${res.entities.unverifiable} audited before content hashes, not checked` : '';
    lines.push(`audit log intact: ${res.rows} rows, ${res.entities.checked} entities match their audited content${legacy}`);
  } else {
    lines.push(`audit verify: ${res.findings.length} entit${res.findings.length === 1 ? 'y does' : 'ies do'} not match the audit log`);
  }
  if (!res.anchor.failed) lines.push(res.anchor.message);
  return lines;
}

export function registerAudit(program: Command, global: () => GlobalOptions, exitCode: (n: number) => void): void {
  const audit = program.command('audit').description('the append-only audit log');
  audit
    .command('verify')
    .description('recompute the hash chain, the content of every audited entity and the anchor beside the database; exit 1 on any finding')
    .action(async () => {
      const g = global();
      const res = (await withApi(g, (call) => call('auditVerify', {}), true)) as ApiResponse<'auditVerify'>;
      if (g.json) printJson({ audit: res });
      else for (const line of auditReportLines(res)) console.log(line);
      if (!res.ok) exitCode(1);
    });
}
