import { channelColour, type PlottedGroup } from './trial-figure';

interface ChannelTogglesProps {
  groups: PlottedGroup[];
  hidden: ReadonlySet<number>;
  onToggle(indices: number[], show: boolean): void;
}

/** A checkbox per channel, by plot group, with the trace's colour; the legends toggle the same state. */
export function ChannelToggles({ groups, hidden, onToggle }: ChannelTogglesProps) {
  return (
    <div className="channel-toggles">
      {groups.map((group) => {
        const indices = group.channels.map((c) => c.index);
        const shown = indices.filter((i) => !hidden.has(i)).length;
        return (
          <fieldset key={group.key} className="toggle-group">
            <legend>{group.title}</legend>
            <div className="toggle-group-actions">
              <button type="button" className="link-button" onClick={() => onToggle(indices, true)} disabled={shown === indices.length}>
                All
              </button>
              <button type="button" className="link-button" onClick={() => onToggle(indices, false)} disabled={shown === 0}>
                None
              </button>
            </div>
            <div className={group.channels.some((c) => c.channel.name.length > 7) ? 'toggle-items single' : 'toggle-items'}>
              {group.channels.map(({ index, channel }, position) => (
                <label key={index} className="toggle-item" title={channel.name}>
                  <input type="checkbox" checked={!hidden.has(index)} onChange={(e) => onToggle([index], e.target.checked)} />
                  <span className="swatch" style={{ background: channelColour(group, position) }} aria-hidden="true" />
                  {channel.name}
                </label>
              ))}
            </div>
          </fieldset>
        );
      })}
    </div>
  );
}
