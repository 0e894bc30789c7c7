import InspectModule from 'docxtemplater/js/inspect-module.js';

type InspectOptions = { inspect?: Record<string, unknown> } & Record<string, unknown>;
/** The methods replaced below (the module's type definitions leave them out). */
type Replaced = { set(options: InspectOptions): void; clone(): InspectModule };

/**
 * docxtemplater's InspectModule without the copies it keeps of every part's lexed and parsed forms
 * (lodash cloneDeep of each, then their garbage collection: half the time a large template took).
 * The placeholders are read from the postparsed form (getAllStructuredTags), kept as it was.
 * (The module's export is a factory, so the instance's methods are replaced rather than subclassed.)
 */
export function placeholderInspectModule(): InspectModule {
  const module = new InspectModule();
  const replaced = module as unknown as Replaced;
  const set = replaced.set.bind(module);
  replaced.set = (options) => {
    if (!options.inspect) return set(options);
    const kept = { ...options.inspect };
    delete kept.parsed;
    delete kept.lexed;
    delete kept.xmllexed;
    set({ ...options, inspect: kept });
  };
  replaced.clone = placeholderInspectModule;
  return module;
}
