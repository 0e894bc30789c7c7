// The four contract boxes of the portal: each is the "contracts" resource with a permanent
// `box` filter, at /contracts/<box>.

export const BOXES = ['todo', 'waiting', 'completed', 'voided'] as const;
export type Box = (typeof BOXES)[number];

export const boxPath = (box: Box) => `/contracts/${box}`;
