import { formatBytes, formatCount } from '../lib/format';
import { ProgressBar } from './ProgressBar';
import type { ImportRun } from './useImportRun';

/** The upload bar (bytes) and the import bar (the server's progress events: stage, done/total, file). */
export function ImportProgress({ run }: { run: ImportRun }) {
  if (run.phase !== 'uploading' && run.phase !== 'importing') return null;
  return (
    <div className="import-progress" data-testid="import-progress" aria-live="polite">
      {run.phase === 'uploading' ? (
        <ProgressBar
          label={`Uploading file ${formatCount(run.fileIndex + 1)} of ${formatCount(run.fileCount)}`}
          fraction={run.totalBytes > 0 ? run.loadedBytes / run.totalBytes : null}
          figures={`${formatBytes(run.loadedBytes)} / ${formatBytes(run.totalBytes)}`}
          detail={run.currentFile}
        />
      ) : (
        <ProgressBar
          label={stageLabel(run)}
          fraction={run.progress && run.progress.total > 0 ? run.progress.done / run.progress.total : null}
          figures={run.progress && run.progress.total > 0 ? `${formatCount(run.progress.done)} / ${formatCount(run.progress.total)}` : undefined}
          detail={run.progress?.detail}
        />
      )}
    </div>
  );
}

function stageLabel(run: Extract<ImportRun, { phase: 'importing' }>): string {
  const stage = run.progress?.stage;
  if (stage) return stage[0].toUpperCase() + stage.slice(1);
  return run.what === 'demo' ? 'Loading the demo cohort…' : 'Importing…';
}
