/**
 * The limits of a template, its fields and roles: one place for the server's schemas
 * (template-definition.ts, create-template.ts) and the portal's checks at the place of input
 * (portal-ui/src/templates/manage/definitionRules.ts). No imports: it is bundled for the browser.
 */
export const MAX_TEMPLATE_NAME = 100;
export const MAX_BUSINESS_TYPE = 50;
export const MAX_SCENARIO = 100;

export const MAX_TEMPLATE_FIELDS = 200;
export const MAX_FIELD_LABEL = 40;
export const MAX_FIELD_LENGTH = 2000;
/** A web template's field key (the text drawn in its box is looked up by it). */
export const WEB_FIELD_KEY = /^[A-Za-z0-9_\u4e00-\u9fff]{1,40}$/;
export const MIN_FONT_SIZE = 6;
export const MAX_FONT_SIZE = 72;

export const MAX_ROLE_NAME = 20;
export const MAX_KEYWORD = 50;
/** 关键字定位 offsets, in PDF points either way. */
export const MAX_MARK_OFFSET = 2000;
