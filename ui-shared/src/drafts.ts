// In-memory page drafts that survive a remount (react-admin remounts the whole app when the
// locale changes) but not a reload. Cleared on logout so the next user never sees them.
const drafts = new Map<string, unknown>();

export const getDraft = <T>(key: string): T | undefined => drafts.get(key) as T | undefined;
export const setDraft = <T>(key: string, value: T) => void drafts.set(key, value);
export const clearDraft = (key: string) => void drafts.delete(key);
export const clearAllDrafts = () => drafts.clear();
