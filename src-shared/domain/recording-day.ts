// The calendar day a file states its recording was made, for the session (visit) date.

/**
 * 'YYYY-MM-DD' for year y, month m (1–12), day d, or null when that is no real day or lies outside 1980–2099 (before
 * the digital gait-lab files GaitLab reads, or a clock that was never set).
 */
export function recordingDay(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || y < 1980 || y >= 2100) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? t.toISOString().slice(0, 10) : null;
}

/** The day at the start of `text` written year first (2021-04-22, 2021/04/22, 2021.04.22, with anything after), or null. */
export function yearFirstDay(text: string): string | null {
  const m = /^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/.exec(text);
  return m ? recordingDay(+m[1], +m[2], +m[3]) : null;
}
