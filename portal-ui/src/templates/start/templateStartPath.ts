/** The path of 从模板发起, optionally with a template already picked (the template list's action). */
export const templateStartPath = (templateId?: string): string => `/contracts/from-template${templateId ? `?template=${encodeURIComponent(templateId)}` : ''}`;
