import { call } from '../api/client';
import { useLoad } from '../lib/hooks';

/**
 * The formats the importer reads, as the format registry in main lists them (listFormats): a format added
 * there appears here without an edit. Shared by the empty state and the import dialog so the two agree.
 */
export function SupportedFormats({ compact = false }: { compact?: boolean }) {
  const loaded = useLoad(() => call('listFormats', {}), []);
  return (
    <div className={compact ? 'formats compact' : 'formats'} data-testid="supported-formats">
      <h3>Supported formats{loaded.state === 'ready' ? ` (${loaded.value.formats.length})` : ''}</h3>
      {loaded.state === 'loading' && <p className="muted small">Loading the list of formats…</p>}
      {loaded.state === 'error' && <p className="muted small">The list of formats could not be loaded: {loaded.message}</p>}
      {loaded.state === 'ready' && (
        <ul>
          {loaded.value.formats.map((f) => (
            <li key={f.id} data-testid="supported-format" data-format-id={f.id}>
              {f.description}
            </li>
          ))}
        </ul>
      )}
      {!compact && <p className="muted small">Formats are recognised by content, not by name. Choose a folder to import a whole data set at once; metadata files are read first.</p>}
    </div>
  );
}
