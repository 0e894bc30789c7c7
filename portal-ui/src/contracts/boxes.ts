// The five contract boxes of the portal (for the person, or for the enterprise the session acts
// for): each is a page at /contracts/<box> reading GET /api/contracts?box=<box>.

export const BOXES = ['todo', 'waiting', 'completed', 'voided', 'cc'] as const;
export type Box = (typeof BOXES)[number];

export const boxPath = (box: Box) => `/contracts/${box}`;

