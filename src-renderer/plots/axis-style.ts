// How every GaitLab plot draws its axes, in one place so the trial, cycles and other plots look alike.

const AXIS = {
  ticks: 'outside',
  ticklen: 4,
  tickcolor: '#9aa5b1',
  gridcolor: '#e6eaef',
  linecolor: '#9aa5b1',
} as const;

/** The x axis: time or % of a cycle; no zero line. */
export const X_AXIS_STYLE = { ...AXIS, zeroline: false } as const;

/** A value axis: a light zero line, margins grown to fit the title. */
export const Y_AXIS_STYLE = { ...AXIS, zeroline: true, zerolinecolor: '#c5cdd6', automargin: true } as const;
