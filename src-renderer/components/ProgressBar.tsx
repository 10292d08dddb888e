interface ProgressBarProps {
  label: string;
  /** null while the total is not known yet: the bar is drawn as indeterminate. */
  fraction: number | null;
  /** Right-aligned numbers, e.g. "3 / 12 files" or "1.2 / 8.0 MiB". */
  figures?: string;
  detail?: string;
}

export function ProgressBar({ label, fraction, figures, detail }: ProgressBarProps) {
  const percent = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div className="progress">
      <div className="progress-head">
        <span className="progress-label">{label}</span>
        {figures && <span className="progress-figures">{figures}</span>}
      </div>
      <div
        className={percent === null ? 'progress-track indeterminate' : 'progress-track'}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={figures}
      >
        <div className="progress-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
      {detail && (
        <div className="progress-detail" title={detail}>
          {detail}
        </div>
      )}
    </div>
  );
}
