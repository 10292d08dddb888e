import type { SubjectSummary } from '../../src-shared/api/schema';
import { attributeLabel, formatAttribute } from '../lib/format';

type Attributes = SubjectSummary['attributes'];

/** Every attribute with its unit ("Height 1.85 m"), in the order the importer gave them. */
export function AttributeTable({ attributes, empty, inline = false }: { attributes: Attributes; empty?: string; inline?: boolean }) {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return empty ? <p className="muted">{empty}</p> : null;
  if (inline) {
    return (
      <dl className="inline-attributes">
        {entries.map(([key, attribute]) => (
          <div key={key}>
            <dt>{attributeLabel(key)}</dt>
            <dd>{formatAttribute(attribute)}</dd>
          </div>
        ))}
      </dl>
    );
  }
  return (
    <table className="kv-table" data-testid="attribute-table">
      <tbody>
        {entries.map(([key, attribute]) => (
          <tr key={key} className={attribute.value === null ? 'missing' : undefined}>
            <th scope="row" title={key}>
              {attributeLabel(key)}
            </th>
            <td>{formatAttribute(attribute)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
