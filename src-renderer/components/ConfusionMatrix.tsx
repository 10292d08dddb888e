// A confusion matrix: rows are the true classes, columns the predicted ones; the diagonal is what was right.
export function ConfusionMatrix({ classes, matrix }: { classes: string[]; matrix: number[][] }) {
  const max = Math.max(1, ...matrix.flat());
  return (
    <table className="confusion" data-testid="confusion-matrix">
      <caption>Test set: true class (rows) × predicted class (columns)</caption>
      <thead>
        <tr>
          <th scope="col">true \ predicted</th>
          {classes.map((c) => <th key={c} scope="col">{c}</th>)}
          <th scope="col">n</th>
          <th scope="col">recall</th>
        </tr>
      </thead>
      <tbody>
        {matrix.map((row, i) => {
          const n = row.reduce((a, b) => a + b, 0);
          return (
            <tr key={classes[i]}>
              <th scope="row">{classes[i]}</th>
              {row.map((v, j) => (
                <td key={classes[j]} className={i === j ? 'diagonal' : undefined} style={{ ['--share' as string]: String(v / max) }}>
                  {v}
                </td>
              ))}
              <td className="confusion-n">{n}</td>
              <td>{n ? `${Math.round((row[i] / n) * 100)} %` : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
