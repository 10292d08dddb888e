/** The formats the importers read; kept in one place so the empty state and the import dialog agree. */
export function SupportedFormats({ compact = false }: { compact?: boolean }) {
  return (
    <div className={compact ? 'formats compact' : 'formats'}>
      <h3>Supported formats</h3>
      <ul>
        <li>
          <strong>PhysioNet gaitpdb</strong> insole walks (<code>GaCo01_01.txt</code>, also <code>.txt.gz</code>) with{' '}
          <code>demographics.txt</code>
        </li>
        <li>
          <strong>GaitRec / Gutenberg</strong> CSV (<code>GRF_F_V_PRO_left.csv</code>, …, <code>GRF_metadata.csv</code>)
        </li>
        <li>
          <strong>MATLAB .mat</strong> GRF tensors (N × 6 × 101, e.g. the clinical GRF sets)
        </li>
      </ul>
      {!compact && <p className="muted small">Choose a folder to import a whole data set at once; metadata files are read first.</p>}
    </div>
  );
}
