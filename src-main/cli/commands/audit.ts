import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson } from '../output';
import { withApi, type GlobalOptions } from '../run-context';

export function registerAudit(program: Command, global: () => GlobalOptions, exitCode: (n: number) => void): void {
  const audit = program.command('audit').description('the append-only audit log');
  audit
    .command('verify')
    .description('recompute the hash chain of the audit log; exit 1 when it is broken')
    .action(async () => {
      const g = global();
      const res = (await withApi(g, (call) => call('auditVerify', {}), true)) as ApiResponse<'auditVerify'>;
      if (g.json) printJson({ audit: res });
      else console.log(res.ok ? `audit log intact: ${res.rows} rows` : `audit log BROKEN at row ${res.firstBadSeq}: ${res.reason}`);
      if (!res.ok) exitCode(1);
    });
}
